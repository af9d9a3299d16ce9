// Models never pay for charts, and a chart never pays for models: bundle each package's whole
// entry point and each chart alone with esbuild (as check:treeshake does) and look at what went in.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const aliases: Record<string, string> = {};
for (const name of readdirSync(join(root, 'packages'))) {
  const jsr = JSON.parse(readFileSync(join(root, 'packages', name, 'jsr.json'), 'utf8')) as { exports: Record<string, string> };
  for (const [sub, file] of Object.entries(jsr.exports)) aliases[`@crm/${name}${sub === '.' ? '' : sub.slice(1)}`] = join(root, 'packages', name, file);
}

/** Source files (relative to packages/) that end up in a minified browser bundle of `code`. */
async function bundledFiles(code: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
    plugins: [{ name: 'crm', setup: (b) => b.onResolve({ filter: /^@crm\// }, (a) => (aliases[a.path] ? { path: aliases[a.path] } : undefined)) }],
  });
  const output = Object.values(result.metafile.outputs)[0];
  return Object.entries(output?.inputs ?? {})
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([file]) => file.replace(/^.*packages\//, ''));
}

const chartNames = [...readFileSync(join(root, 'packages/core/src/charts/index.ts'), 'utf8').matchAll(/export \{ ([^}]+) \} from/g)].flatMap((m) => (m[1] ?? '').split(',').map((s) => s.trim()));

describe('tree-shaking between models and charts', () => {
  for (const pkg of ['core', 'scoring', 'segment', 'rules', 'churn']) {
    it(`everything of @crm/${pkg} carries no chart code`, async () => {
      const files = await bundledFiles(`export * from '@crm/${pkg}';`);
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((f) => f.startsWith('core/src/charts/'))).toEqual([]);
    });
  }

  it('each chart bundles alone with chart code, CrmError and the shared options reader only', async () => {
    expect(chartNames.length).toBeGreaterThanOrEqual(18);
    for (const name of chartNames) {
      const files = await bundledFiles(`export { ${name} } from '@crm/core/charts';`);
      const shared = ['core/src/errors.ts', 'core/src/options.ts'];
      expect(files.filter((f) => !f.startsWith('core/src/charts/') && !shared.includes(f)), name).toEqual([]);
    }
  });
});
