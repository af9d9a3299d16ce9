// "A browser bundle of each model builds with esbuild (platform browser) without shims": bundle
// each model on its own from the sources, as a browser app would import it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const aliases: Record<string, string> = {
  '@crm/core': source('../../core/src/index.ts'),
  '@crm/churn': source('../src/index.ts'),
};

describe('browser bundles', () => {
  for (const name of ['LogisticRegression', 'DecisionTree', 'RandomForest', 'NeuralNetwork', 'crossValidate', 'liftTable']) {
    it(`{ ${name} } bundles for platform 'browser' with no Node built-in`, async () => {
      const result = await build({
        stdin: { contents: `export { ${name} } from '@crm/churn';`, resolveDir: source('.'), loader: 'ts' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'es2020',
        logLevel: 'silent',
        metafile: true,
        plugins: [
          {
            name: 'crm-sources',
            setup(b) {
              b.onResolve({ filter: /^@crm\// }, (args) => (aliases[args.path] ? { path: aliases[args.path] } : undefined));
            },
          },
        ],
      });
      expect(result.errors).toEqual([]);
      const code = result.outputFiles[0]?.text ?? '';
      expect(code).toContain(name);
      expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:|fs|path|crypto)/);
      // Only @crm sources end up in the bundle: no dependency that would need a shim.
      expect(Object.keys(result.metafile.inputs).every((f) => f.includes('packages/core/src') || f.includes('packages/churn/src') || f === '<stdin>')).toBe(true);
    });
  }
});
