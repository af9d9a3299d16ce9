import { describe, expect, it } from 'vitest';
import { createRng, isCrmError } from '@crm/core';

describe('createRng(seed)', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('uniform() lies in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12', () => {
    const rng = createRng(1);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    // Standard error of the mean is sqrt(1/12 / n) ≈ 6.5e-4: 5 SE.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    // Var(U²) = 1/5 − 1/9 for U ~ U(0, 1), so the sample second moment has SE sqrt((1/5 − 1/9) / n): 5 SE.
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 5 - 1 / 9) / n));
  });

  it('normal() has mean ≈ 0 and sd ≈ 1', () => {
    const rng = createRng(2);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    // Var(Z²) = 2, so the mean of Z² has SE sqrt(2 / n): 5 SE.
    expect(Math.abs(sq / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('int(min, max) covers every value in [min, max) about equally', () => {
    const rng = createRng(3);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(0, 6)]!++;
    // Each count is Binomial(60,000, 1/6): sd ≈ 91, so 5 sd ≈ 456.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * Math.sqrt(60_000 * (1 / 6) * (5 / 6)));
  });

  it('shuffle() returns a permutation and leaves the input untouched', () => {
    const input = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = createRng(4).shuffle(input);
    expect([...out].sort((x, y) => x - y)).toEqual([...input]);
    expect(out).not.toBe(input);
  });

  it('sample() without replacement has no repeats; with replacement may exceed n', () => {
    const rng = createRng(5);
    const s = rng.sample([1, 2, 3, 4, 5], 5);
    expect(new Set(s).size).toBe(5);
    expect(rng.sample([1, 2], 10, true)).toHaveLength(10);
    expect(() => rng.sample([1, 2], 3)).toThrow(/cannot sample/);
  });

  it('rejects a non-finite seed with a CrmError', () => {
    try {
      createRng(Number.NaN);
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && e.code).toBe('invalid_argument');
    }
  });

  it('split() gives reproducible independent streams', () => {
    const a = createRng(9).split();
    const b = createRng(9).split();
    expect(a.uniform()).toBe(b.uniform());
  });
});
