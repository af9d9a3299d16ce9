// Runs every benchmark suite (benchmarks/<package>/run.mjs) in turn, each in its own process so
// peak memory is measured per suite. Pass a package name to run one suite: `pnpm bench scoring`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('.', import.meta.url).pathname);
const only = process.argv[2];
for (const name of readdirSync(root).sort()) {
  const suite = join(root, name, 'run.mjs');
  if (!existsSync(suite) || (only && only !== name)) continue;
  console.log(`\n##### benchmarks/${name}`);
  execFileSync(process.execPath, ['--expose-gc', suite], { stdio: 'inherit', cwd: root });
}
