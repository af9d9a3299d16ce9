import { describe, expect, it } from 'vitest';
import { contracts, modules } from './registry.ts';

describe('every runtime export of every entry point is registered in the contract suite', () => {
  for (const [id, mod] of Object.entries(modules)) {
    it(`${id}: exports and contracts name the same things`, () => {
      const registered = Object.keys(contracts[id] ?? {}).sort();
      const exported = Object.keys(mod).sort();
      expect(exported.filter((k) => !registered.includes(k)), 'exports without a contract: add them to test/contract/registry.ts').toEqual([]);
      expect(registered.filter((k) => !exported.includes(k)), 'contracts for names that are not exported').toEqual([]);
    });
  }
});

