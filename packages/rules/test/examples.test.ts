// Every ```ts block in the TSDoc of src/*.ts runs without throwing (the @example of every export).
import { readdirSync, readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as core from '@crm/core';
import * as rules from '@crm/rules';

const srcDir = new URL('../src/', import.meta.url);
const examples: [string, string][] = [];
for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
  const text = readFileSync(new URL(file, srcDir), 'utf8');
  for (const m of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const code = (m[1] as string).split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    examples.push([`${file} #${examples.filter(([f]) => f.startsWith(file)).length + 1}`, code]);
  }
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

describe('TSDoc examples', () => {
  it('exist for the public exports', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });
  it.each(examples)('%s runs', async (_name, code) => {
    const js = transformSync(code, { loader: 'ts' }).code
      .replace(/import\s*\{([^}]*)\}\s*from\s*['"]@crm\/rules['"];/g, (_m, names: string) => `const {${names.replace(/\btype\s+\w+\s*,?/g, '')}} = __rules;`)
      .replace(/import\s*\{([^}]*)\}\s*from\s*['"]@crm\/core['"];/g, (_m, names: string) => `const {${names.replace(/\btype\s+\w+\s*,?/g, '')}} = __core;`);
    expect(js).not.toMatch(/\bimport\b/);
    await new AsyncFunction('__rules', '__core', js)(rules, core);
  });
});
