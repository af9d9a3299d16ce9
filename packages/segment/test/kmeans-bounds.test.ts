/**
 * The bounds that let KMeans skip distance computations (Hamerly's in the iterations, the triangle
 * inequality in k-means++ seeding) must not change any result: the reference below is plain
 * greedy k-means++ and plain Lloyd, every distance computed, written as the textbook gives them
 * (ties to the lower centre index, empty clusters re-seeded at the farthest row). Fits must equal
 * it bit for bit: labels, centroids, inertia, iteration count.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, type Rng } from '@crm/core';
import { KMeans } from '@crm/segment';

function sq(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = (a[i * d + t] as number) - (b[j * d + t] as number);
    s += diff * diff;
  }
  return s;
}

function plainSeeding(x: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(0, n);
  centers.set(x.subarray(first * d, first * d + d), 0);
  let closest: Float64Array = Float64Array.from({ length: n }, (_, i) => sq(x, i, centers, 0, d));
  let pot = closest.reduce((a, b) => a + b, 0);
  for (let c = 1; c < k; c++) {
    const cumulative = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cumulative[i] = acc += closest[i] as number;
    let best: { pot: number; id: number; dist: Float64Array } | undefined;
    for (let t = 0; t < trials; t++) {
      const target = rng.uniform() * acc;
      let id = cumulative.findIndex((v) => v > target);
      if (id < 0) id = n - 1;
      const dist = Float64Array.from({ length: n }, (_, i) => Math.min(closest[i] as number, sq(x, i, x, id, d)));
      let p = 0;
      for (let i = 0; i < n; i++) p += dist[i] as number;
      if (best === undefined || p < best.pot) best = { pot: p, id, dist };
    }
    centers.set(x.subarray(best!.id * d, best!.id * d + d), c * d);
    closest = best!.dist;
    pot = best!.pot;
  }
  expect(pot).toBeGreaterThanOrEqual(0);
  return centers;
}

function plainLloyd(x: Float64Array, n: number, d: number, k: number, start: Float64Array, maxIterations: number, tol: number) {
  let centers = start;
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const assign = (): boolean => {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let index = 0;
      let best = Infinity;
      for (let c = 0; c < k; c++) {
        const s = sq(x, i, centers, c, d);
        if (s < best) [best, index] = [s, c];
      }
      if (labels[i] !== index) changed = true;
      labels[i] = index;
      dist[i] = best;
    }
    return changed;
  };
  let iterations = 0;
  let stable = false;
  for (let it = 0; it < maxIterations; it++) {
    iterations++;
    let changed = assign();
    const next = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]!]++;
      for (let t = 0; t < d; t++) next[labels[i]! * d + t] += x[i * d + t]!;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c]! > 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) if ((far < 0 || dist[i]! > dist[far]!) && counts[labels[i]!]! > 1) far = i;
      if (far < 0) continue;
      const from = labels[far]!;
      counts[from]--;
      for (let t = 0; t < d; t++) next[from * d + t] -= x[far * d + t]!;
      labels[far] = c;
      counts[c] = 1;
      dist[far] = 0;
      for (let t = 0; t < d; t++) next[c * d + t] = x[far * d + t]!;
      changed = true;
    }
    for (let c = 0; c < k; c++) if (counts[c]! > 0) for (let t = 0; t < d; t++) next[c * d + t] /= counts[c]!;
    if (!changed) {
      stable = true;
      break;
    }
    let shift = 0;
    for (let t = 0; t < k * d; t++) shift += (next[t]! - centers[t]!) ** 2;
    centers = next;
    if (shift <= tol) break;
  }
  let inertia = 0;
  if (!stable) assign();
  for (let i = 0; i < n; i++) inertia += sq(x, i, centers, labels[i]!, d);
  return { centers, labels, inertia, iterations };
}

/** KMeans.fit by the plain algorithm (data of ordinary magnitude, so no rescaling applies). */
function reference(X: number[][], k: number, restarts: number, seed: number, maxIterations: number) {
  const n = X.length;
  const d = X[0]!.length;
  const x = Float64Array.from(X.flat());
  let variance = 0;
  for (let t = 0; t < d; t++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + t]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + t]! - mean) ** 2;
    variance += v / n;
  }
  const tol = 1e-4 * (variance / d);
  const rng = createRng(seed);
  let best: ReturnType<typeof plainLloyd> | undefined;
  for (let r = 0; r < restarts; r++) {
    const run = plainLloyd(x, n, d, k, plainSeeding(x, n, d, k, rng.split()), maxIterations, tol);
    if (best === undefined || run.inertia < best.inertia) best = run;
  }
  return best!;
}

function expectSame(X: number[][], k: number, restarts: number, seed: number, maxIterations = 300): void {
  const model = KMeans.fit(X, { k, restarts, seed, maxIterations });
  const ref = reference(X, k, restarts, seed, maxIterations);
  expect(model.labels).toEqual(Array.from(ref.labels));
  expect(model.centroids.flat()).toEqual(Array.from(ref.centers));
  expect(model.inertia).toBe(ref.inertia);
  expect(model.iterations).toBe(ref.iterations);
}

function blobData(n: number, d: number, centres: number, spread: number, seed: number, grid = false): number[][] {
  const rng = createRng(seed);
  const mu = Array.from({ length: centres }, () => Array.from({ length: d }, () => rng.uniform() * 20 - 10));
  return Array.from({ length: n }, () => {
    const c = mu[rng.int(0, centres)]!;
    return c.map((v) => (grid ? Math.round(v + rng.normal() * spread) : v + rng.normal() * spread));
  });
}

describe('KMeans with bounds equals plain k-means++ and Lloyd bit for bit', () => {
  it('on separated and on overlapping blobs, one and several starts', () => {
    expectSame(blobData(3000, 8, 8, 2, 1), 8, 1, 3);
    expectSame(blobData(3000, 8, 8, 6, 2), 8, 3, 4);
    expectSame(blobData(2000, 2, 5, 1, 3), 12, 2, 5);
    expectSame(blobData(1500, 20, 4, 3, 4), 6, 2, 6);
  });

  it('on integer data full of ties and duplicate rows, and with few iterations', () => {
    expectSame(blobData(2000, 3, 6, 1.5, 5, true), 7, 3, 7);
    expectSame(blobData(2000, 2, 3, 0.7, 6, true), 9, 2, 8, 4);
  });

  it('on data far from the origin (small spread on a large offset)', () => {
    expectSame(blobData(1500, 4, 5, 1, 7).map((r) => r.map((v) => v + 1e7)), 5, 2, 9);
  });

  it('on random small data sets (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (d, centres, seed, grid) => {
          const X = blobData(60, d, centres, 1 + (seed % 5), seed, grid);
          const distinct = new Set(X.map((r) => r.join(','))).size;
          const columnsVary = X[0]!.every((_, j) => X.some((r) => r[j] !== X[0]![j]));
          fc.pre(distinct >= 4 && columnsVary);
          expectSame(X, 1 + (seed % Math.min(4, distinct)), 2, seed);
        },
      ),
      { numRuns: 60 },
    );
  });
});
