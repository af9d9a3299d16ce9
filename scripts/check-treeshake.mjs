// Bundles every public named import of every package on its own with esbuild (browser platform,
// minified), prints its minified and gzipped size, and fails when
//  - the bundle needs a Node built-in,
//  - it carries code of a module group other than its own (groups in benchmarks/treeshake/<package>.json:
//    an export belongs to the group of the file that defines it; files in no group are shared), or
//  - its gzipped size exceeds the budget in benchmarks/treeshake/<package>.json.
import { build } from 'esbuild';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(new URL('..', import.meta.url).pathname);
// Budgets and module groups: benchmarks/treeshake/<package>.json.
const loadConfig = (name) => {
  const file = join(root, 'benchmarks', 'treeshake', `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};
const DEFAULT_BUDGET_GZIP_BYTES = 20000;
const only = process.argv[2];

/** Public value exports of one entry file: name → defining file (relative to the package). */
function valueExports(pkgDir, entryFile) {
  const text = readFileSync(join(pkgDir, entryFile), 'utf8');
  const out = new Map();
  const re = /export\s+(type\s+)?\{([^}]*)\}\s+from\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) {
    if (m[1]) continue;
    const from = relative(pkgDir, resolve(dirname(join(pkgDir, entryFile)), m[3]));
    for (const part of m[2].split(',')) {
      const spec = part.trim();
      if (!spec || spec.startsWith('type ')) continue;
      const name = spec.split(/\s+as\s+/).pop().trim();
      out.set(name, from);
    }
  }
  return out;
}

const matches = (file, pattern) =>
  new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*') + '$').test(file);
const groupOf = (groups, file) => Object.keys(groups).find((g) => groups[g].some((p) => matches(file, p)));

const aliases = {};
for (const name of readdirSync(join(root, 'packages'))) {
  const jsr = JSON.parse(readFileSync(join(root, 'packages', name, 'jsr.json'), 'utf8'));
  for (const [sub, file] of Object.entries(jsr.exports)) {
    aliases[`@crm/${name}${sub === '.' ? '' : sub.slice(1)}`] = join(root, 'packages', name, file);
  }
}
const aliasPlugin = {
  name: 'crm-sources',
  setup(b) {
    b.onResolve({ filter: /^@crm\// }, (args) => (aliases[args.path] ? { path: aliases[args.path] } : undefined));
  },
};

let failures = 0;
const rows = [];
for (const name of readdirSync(join(root, 'packages')).sort()) {
  if (only && only !== name) continue;
  const pkgDir = join(root, 'packages', name);
  const pkgConfig = loadConfig(name);
  const groups = pkgConfig.groups ?? {};
  const jsr = JSON.parse(readFileSync(join(pkgDir, 'jsr.json'), 'utf8'));
  for (const [sub, entry] of Object.entries(jsr.exports)) {
    const specifier = `@crm/${name}${sub === '.' ? '' : sub.slice(1)}`;
    for (const [exp, defFile] of valueExports(pkgDir, entry)) {
      const defGroup = groupOf(groups, defFile);
      const result = await build({
        stdin: { contents: `export { ${exp} } from '${specifier}';`, resolveDir: root, loader: 'ts' },
        bundle: true, write: false, minify: true, format: 'esm', platform: 'browser',
        target: 'es2022', metafile: true, logLevel: 'silent', plugins: [aliasPlugin],
      }).catch((e) => ({ error: e }));
      if (result.error) {
        failures++;
        rows.push({ specifier, exp, min: '-', gzip: '-', status: `FAIL: ${result.error.message.split('\n')[0]}` });
        continue;
      }
      const code = result.outputFiles[0].contents;
      const gzip = gzipSync(code, { level: 9 }).length;
      const problems = [];
      const [output] = Object.values(result.metafile.outputs);
      for (const [file, info] of Object.entries(output.inputs)) {
        if (info.bytesInOutput === 0) continue;
        const abs = resolve(root, file);
        if (!abs.startsWith(pkgDir + '/')) continue;
        const rel = relative(pkgDir, abs);
        const g = groupOf(groups, rel);
        const allowed = pkgConfig.allow?.[defGroup ?? '']?.includes(g);
        if (g && g !== defGroup && !allowed) problems.push(`carries ${rel} (group '${g}')`);
      }
      if (/\bfrom\s*["']node:|require\(["'](fs|path|crypto|node:)/.test(new TextDecoder().decode(code))) {
        problems.push('imports a Node built-in');
      }
      const budget = pkgConfig.budgets?.[exp] ?? pkgConfig.defaultBudget ?? DEFAULT_BUDGET_GZIP_BYTES;
      if (gzip > budget) problems.push(`gzip ${gzip} B over budget ${budget} B`);
      if (problems.length) failures++;
      rows.push({ specifier, exp, min: code.length, gzip, status: problems.length ? `FAIL: ${problems.join('; ')}` : 'ok' });
    }
  }
}
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('import', 52)} ${pad('min B', 8)} ${pad('gzip B', 8)} status`);
for (const r of rows) console.log(`${pad(`{ ${r.exp} } from '${r.specifier}'`, 52)} ${pad(r.min, 8)} ${pad(r.gzip, 8)} ${r.status}`);
if (failures > 0) {
  console.error(`\ncheck:treeshake: ${failures} import(s) failed`);
  process.exit(1);
}
console.log(`\ncheck:treeshake: ${rows.length} imports bundle on their own for the browser`);
