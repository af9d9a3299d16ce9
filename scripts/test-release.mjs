// Release dry run, from a clean state: removes every package's dist/, packs the packages as
// `pnpm publish` would (prepack builds them; pnpm replaces workspace:^ ranges), then checks each
// tarball (manifest without workspace: ranges, sibling ranges at the current version, public
// access, every file the exports map names present, no sources or tests), asks `npm publish
// --dry-run` what it would publish, installs all tarballs into an empty project with npm (offline:
// they need nothing else) and imports every package there through ESM and CJS. Finally checks that
// the jsr.json files are in step for `deno publish`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'crm-release-'));
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
const problems = [];
const expect = (ok, message) => {
  if (!ok) problems.push(message);
};

try {
  const dirs = readdirSync(join(root, 'packages')).sort();
  const sources = new Map(dirs.map((d) => [d, JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8'))]));
  for (const d of dirs) rmSync(join(root, 'packages', d, 'dist'), { recursive: true, force: true });

  const packs = join(work, 'packs');
  run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', packs]);
  const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).sort();
  expect(tarballs.length === dirs.length, `expected ${dirs.length} tarballs, got ${tarballs.join(', ')}`);

  for (const d of dirs) {
    const source = sources.get(d);
    const tarball = tarballs.find((t) => t === `${source.name.slice(1).replace('/', '-')}-${source.version}.tgz`);
    if (!tarball) {
      problems.push(`${source.name}: no tarball`);
      continue;
    }
    const unpacked = join(work, 'unpacked', d);
    run('mkdir', ['-p', unpacked]);
    run('tar', ['-xzf', join(packs, tarball), '-C', unpacked]);
    const files = run('tar', ['-tzf', join(packs, tarball)]).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    const manifestText = readFileSync(join(unpacked, 'package', 'package.json'), 'utf8');
    const manifest = JSON.parse(manifestText);
    const name = manifest.name;
    expect(!manifestText.includes('workspace:'), `${name}: the packed package.json still has a workspace: range`);
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      const sibling = [...sources.values()].find((p) => p.name === dep);
      if (sibling) expect(range === `^${sibling.version}`, `${name}: dependency ${dep} is ${range}, expected ^${sibling.version}`);
    }
    expect(manifest.publishConfig?.access === 'public', `${name}: publishConfig.access is not "public"`);
    expect(typeof manifest.homepage === 'string' && typeof manifest.bugs?.url === 'string', `${name}: homepage or bugs missing`);
    const targets = new Set([manifest.main, manifest.module, manifest.types].filter(Boolean));
    JSON.stringify(manifest.exports, (_, v) => (typeof v === 'string' && v.startsWith('./') && v !== './package.json' && targets.add(v), v));
    for (const t of targets) expect(files.includes(t.replace(/^\.\//, '')), `${name}: ${t} is named by the manifest but not in the tarball`);
    expect(files.includes('README.md') && files.includes('LICENSE'), `${name}: README.md or LICENSE missing`);
    expect(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), `${name}: sources or tests in the tarball`);
    const dry = execFileSync('npm', ['publish', '--dry-run', '--offline', join(packs, tarball)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const said = dry + '';
    expect(/\+ @crm\//.test(said), `${name}: npm publish --dry-run did not report the package:\n${said}`);
  }

  // An empty project installs the tarballs alone (no registry) and uses every package, ESM and CJS.
  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'release-check', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs.map((t) => join(packs, t))], app);
  const use = `
    const X = [[0, 0], [0, 1], [9, 9], [9, 8]];
    const km = segment.KMeans.fit(X, { k: 2, seed: 1 });
    if (km.labels[0] === km.labels[2]) throw new Error('KMeans from the tarball gave one cluster');
    if (typeof core.createRng(1).normal() !== 'number') throw new Error('createRng');
    if (typeof scoring.BgNbd.fit !== 'function' || typeof rules.fpGrowth !== 'function' || typeof churn.RandomForest.fit !== 'function') throw new Error('exports missing');
    if (typeof charts.rfmHeatmapChart !== 'function') throw new Error('@crm/core/charts is missing rfmHeatmapChart');
  `;
  writeFileSync(
    join(app, 'esm.mjs'),
    `import * as core from '@crm/core'; import * as charts from '@crm/core/charts'; import * as scoring from '@crm/scoring';
     import * as segment from '@crm/segment'; import * as rules from '@crm/rules'; import * as churn from '@crm/churn';${use}`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `const core = require('@crm/core'); const charts = require('@crm/core/charts'); const scoring = require('@crm/scoring');
     const segment = require('@crm/segment'); const rules = require('@crm/rules'); const churn = require('@crm/churn');${use}`,
  );
  run(process.execPath, ['esm.mjs'], app);
  run(process.execPath, ['cjs.cjs'], app);

  run(process.execPath, [join(root, 'scripts', 'sync-jsr-versions.mjs'), '--check']);
  for (const d of dirs) expect(existsSync(join(root, 'packages', d, 'dist', 'index.js')), `packages/${d}/dist was not rebuilt by prepack`);
} catch (error) {
  problems.push(`${error.message}\n${error.stderr ?? ''}${error.stdout ?? ''}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`test-release: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('test-release: from a clean state every package packs with its dist, without workspace: ranges, with public access; npm publish --dry-run accepts each; the tarballs install alone and load through ESM and CJS; jsr.json versions are in step');
