// Keeps each package's jsr.json in step with its package.json: the same version, and `jsr:@crm/…`
// imports of sibling packages at ^ their current version. `changeset version` bumps package.json
// only, so `pnpm version-packages` runs this after it. With --check it changes nothing and fails
// when a jsr.json is out of step (the release dry run in CI uses that).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const dirs = readdirSync(join(root, 'packages')).sort();
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const versions = new Map(dirs.map((d) => {
  const pkg = read(join(root, 'packages', d, 'package.json'));
  return [pkg.name, pkg.version];
}));
const stale = [];
for (const d of dirs) {
  const file = join(root, 'packages', d, 'jsr.json');
  const jsr = read(file);
  const pkg = read(join(root, 'packages', d, 'package.json'));
  const next = { ...jsr, version: pkg.version };
  if (jsr.name !== pkg.name) stale.push(`${d}: jsr.json name ${jsr.name} is not ${pkg.name}`);
  if (jsr.imports) {
    next.imports = Object.fromEntries(Object.entries(jsr.imports).map(([key, target]) => {
      const m = /^jsr:(@crm\/[a-z-]+)@/.exec(target);
      return [key, m && versions.has(m[1]) ? `jsr:${m[1]}@^${versions.get(m[1])}` : target];
    }));
  }
  const text = `${JSON.stringify(next, null, 2)}\n`;
  if (text !== readFileSync(file, 'utf8')) {
    stale.push(`${d}/jsr.json (${jsr.version === pkg.version ? 'imports' : `version ${jsr.version} → ${pkg.version}`})`);
    if (!check) writeFileSync(file, text);
  }
}
if (check && stale.length > 0) {
  console.error(`sync-jsr-versions: out of step with package.json: ${stale.join('; ')}; run node scripts/sync-jsr-versions.mjs`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'sync-jsr-versions: every jsr.json matches its package.json' : `sync-jsr-versions: updated ${stale.join('; ')}`);
