import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index.ts'): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a test never sees a stale build.
    alias: [
      { find: /^@crm\/core\/charts$/, replacement: src('core', 'charts/index.ts') },
      { find: /^@crm\/core$/, replacement: src('core') },
      { find: /^@crm\/scoring$/, replacement: src('scoring') },
      { find: /^@crm\/segment$/, replacement: src('segment') },
      { find: /^@crm\/rules$/, replacement: src('rules') },
      { find: /^@crm\/churn$/, replacement: src('churn') },
      { find: /^@crm\/sql$/, replacement: src('sql') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
