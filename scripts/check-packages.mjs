// Runs publint --strict and attw (node16 profile) on every published package. attw reads a tarball
// packed with --ignore-scripts, so the prepack build does not run again (run `pnpm build` first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const packs = mkdtempSync(join(tmpdir(), 'crm-check-packages-'));
process.on('exit', () => rmSync(packs, { recursive: true, force: true }));
let failed = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], { cwd: dir, encoding: 'utf8' }),
  );
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', [join(packs, filename), '--profile', 'node16']],
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
