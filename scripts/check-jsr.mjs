// Runs `deno publish --dry-run` for every package (Deno from the `deno` npm package).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const deno = join(root, 'node_modules', '.bin', 'deno');
let failed = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  process.stdout.write(`== @crm/${name}: deno publish --dry-run\n`);
  try {
    execFileSync(deno, ['publish', '--dry-run', '--allow-dirty', '--quiet'], {
      cwd: join(root, 'packages', name),
      stdio: 'inherit',
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    });
  } catch {
    failed++;
  }
}
if (failed) {
  console.error(`check:jsr: ${failed} package(s) failed`);
  process.exit(1);
}
console.log('check:jsr: every package passes deno publish --dry-run');
