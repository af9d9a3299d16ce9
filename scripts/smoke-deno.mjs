// Deno smoke test: the built @crm/core gives byte-identical output in Deno and in Node.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const script = join(root, 'scripts', 'smoke-summary.mjs');
const deno = join(root, 'node_modules', '.bin', 'deno');
const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
const fromNode = execFileSync(process.execPath, [script], { encoding: 'utf8', maxBuffer: 64 << 20 });
const fromDeno = execFileSync(deno, ['run', '--quiet', `--allow-read=${root}`, script], { encoding: 'utf8', maxBuffer: 64 << 20, env });
const version = execFileSync(deno, ['--version'], { encoding: 'utf8', env }).split('\n')[0];
const parsed = JSON.parse(fromNode);
if (fromNode !== fromDeno) {
  console.error(`smoke:deno: output differs between Node ${process.version} and ${version}`);
  process.exit(1);
}
console.log(
  `smoke:deno: ${version} and Node ${process.version} agree on ${parsed.summaries.length} CDNOW summaries (${fromNode.length} bytes) and the seeded stream`,
);
