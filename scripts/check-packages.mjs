// Runs publint --strict and attw --pack (node16 profile) on every published package.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'node16']],
  ]) {
    process.stdout.write(`\n== @crm/${name}: ${tool} ${args.join(' ')}\n`);
    try {
      execFileSync(bin(tool), args, { cwd: dir, stdio: 'inherit' });
    } catch {
      failed++;
      process.stdout.write(`!! @crm/${name}: ${tool} failed\n`);
    }
  }
}
if (failed > 0) {
  console.error(`\ncheck:packages: ${failed} check(s) failed`);
  process.exit(1);
}
console.log('\ncheck:packages: every package passes publint --strict and attw --profile node16');
