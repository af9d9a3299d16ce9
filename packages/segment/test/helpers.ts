import { readFileSync } from 'node:fs';
import { isCrmError } from '@crm/core';

/** The code of the CrmError that `fn` throws, or undefined when it returns; other errors propagate. */
export function crmCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isCrmError(e)) return e.code;
    throw e;
  }
  return undefined;
}

/** Mall customers: [annual income (k$), spending score] per row, and the other columns. */
export function loadMall(): { X: number[][]; age: number[]; genre: string[] } {
  const text = readFileSync(new URL('./fixtures/Mall_Customers.csv', import.meta.url), 'utf8');
  const lines = text.trim().split(/\r?\n/).slice(1);
  const X: number[][] = [];
  const age: number[] = [];
  const genre: string[] = [];
  for (const line of lines) {
    const [, g, a, income, score] = line.split(',');
    X.push([Number(income), Number(score)]);
    age.push(Number(a));
    genre.push(String(g));
  }
  return { X, age, genre };
}

export interface MallReference {
  kmeans5: { labels: number[]; silhouette: number; davies_bouldin: number; calinski_harabasz: number; inertia: number; centroids: number[][] };
  ward5: LabelScores;
  complete5: LabelScores;
  average5: LabelScores;
  single5: LabelScores;
  kmeans5_singleton: LabelScores;
  linkage_ward: number[][];
  linkage_complete: number[][];
  linkage_average: number[][];
  linkage_single: number[][];
  dbscan_eps9_min5: { labels: number[]; core_sample_indices: number[] };
  kmeans_k_curve: { k: number; inertia: number; silhouette: number }[];
}
export interface LabelScores {
  labels: number[];
  silhouette: number;
  davies_bouldin: number;
  calinski_harabasz: number;
}

export function loadMallReference(): MallReference {
  return JSON.parse(readFileSync(new URL('./fixtures/mall_reference.json', import.meta.url), 'utf8')) as MallReference;
}

/** Adjusted Rand index (Hubert & Arabie 1985), written here independently of the package. */
export function adjustedRand(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const rowsA = new Map<number, number>();
  const rowsB = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}|${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rowsA.set(a[i] as number, (rowsA.get(a[i] as number) ?? 0) + 1);
    rowsB.set(b[i] as number, (rowsB.get(b[i] as number) ?? 0) + 1);
  }
  const c2 = (x: number): number => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += c2(v);
  let sa = 0;
  for (const v of rowsA.values()) sa += c2(v);
  let sb = 0;
  for (const v of rowsB.values()) sb += c2(v);
  const expected = (sa * sb) / c2(n);
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Deep-freezes an array of rows so a test proves the input is not mutated. */
export function frozen(X: number[][]): readonly (readonly number[])[] {
  return Object.freeze(X.map((r) => Object.freeze([...r])));
}

/** Gaussian blobs around the given centres, from a simple seeded LCG (independent of the package's RNG). */
export function blobs(centres: number[][], perBlob: number, sd: number, seed: number): { X: number[][]; truth: number[] } {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const X: number[][] = [];
  const truth: number[] = [];
  centres.forEach((c, label) => {
    for (let i = 0; i < perBlob; i++) {
      X.push(c.map((v) => v + sd * normal()));
      truth.push(label);
    }
  });
  return { X, truth };
}
