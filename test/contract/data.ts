/** Small valid inputs for the contract suite: each builder returns fresh objects. */
import { createRng } from '@crm/core';
import { cdnowSummary } from '../../packages/scoring/test/helpers.ts';

export const transactions = (): { customerId: string; time: string; amount: number; id: string }[] => {
  const rows: { customerId: string; time: string; amount: number; id: string }[] = [];
  const days = [0, 3, 40, 41, 90, 200, 210, 300];
  for (let c = 0; c < 6; c++) {
    for (let j = 0; j <= c % 4 + 1; j++) {
      const day = (days[(c + 2 * j) % days.length] as number) + c;
      rows.push({ id: `o${c}-${j}`, customerId: `c${c}`, time: new Date(Date.UTC(2020, 0, 1) + day * 864e5).toISOString(), amount: 10 + 7 * c + j });
    }
  }
  return rows;
};

export const datedTransactions = (): { customerId: string; time: Date; amount: number; id: string }[] =>
  transactions().map((t) => ({ ...t, time: new Date(t.time) }));

/**
 * Purchase histories of the first n CDNOW customers (weeks; the lifetimes fixture): a real cohort
 * with the heterogeneity the purchase models need, so their fits have an interior optimum.
 */
export const summaries = (n = 150): { frequency: number; recency: number; T: number; monetary: number }[] =>
  cdnowSummary()
    .slice(0, n)
    .map(({ frequency, recency, T, monetary }) => ({ frequency, recency, T, monetary }));

/** Discrete-time histories for BG/BB: n = 6 opportunities. */
export const discreteHistories = (): { frequency: number; recency: number; T: number; weight: number }[] => [
  { frequency: 6, recency: 6, T: 6, weight: 1203 },
  { frequency: 5, recency: 6, T: 6, weight: 728 },
  { frequency: 4, recency: 6, T: 6, weight: 512 },
  { frequency: 3, recency: 6, T: 6, weight: 357 },
  { frequency: 2, recency: 6, T: 6, weight: 234 },
  { frequency: 1, recency: 6, T: 6, weight: 129 },
  { frequency: 5, recency: 5, T: 6, weight: 335 },
  { frequency: 4, recency: 5, T: 6, weight: 284 },
  { frequency: 3, recency: 5, T: 6, weight: 225 },
  { frequency: 2, recency: 5, T: 6, weight: 173 },
  { frequency: 1, recency: 5, T: 6, weight: 119 },
  { frequency: 3, recency: 3, T: 6, weight: 217 },
  { frequency: 1, recency: 1, T: 6, weight: 337 },
  { frequency: 0, recency: 0, T: 6, weight: 3464 },
];

/** Percent surviving at the start of each period (Fader & Hardie 2007, Table 1, regular, years 0–7). */
export const survivors = (): number[] => [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1];

/** Two well-separated blobs in 3 dimensions. */
export const rows = (n = 40): number[][] => {
  const rng = createRng(11);
  return Array.from({ length: n }, (_, i) => {
    const c = i % 2 === 0 ? 0 : 5;
    return [c + rng.normal(), c + rng.normal(), -c + rng.normal()];
  });
};

/** Binary labels that depend on rows() (so classifiers have signal), with both classes present. */
export const labels = (n = 40): number[] => {
  const X = rows(n);
  return X.map((r, i) => ((r[0] as number) + (i % 5 === 0 ? 3 : 0) > 2.5 ? 1 : 0));
};

export const scores = (n = 40): number[] => labels(n).map((y, i) => Math.min(0.95, Math.max(0.05, 0.3 + 0.4 * y + ((i * 37) % 11) / 40 - 0.12)));

export const clusterLabels = (n = 40): number[] => Array.from({ length: n }, (_, i) => i % 2);

export const baskets = (): string[][] => [
  ['milk', 'bread', 'eggs'],
  ['milk', 'bread'],
  ['bread', 'butter'],
  ['milk', 'bread', 'butter'],
  ['eggs', 'butter'],
  ['milk', 'eggs'],
  ['milk', 'bread', 'eggs', 'butter'],
  ['bread'],
];

export const records = (): { tenure: number | string; plan: string; charges: number }[] =>
  rows(40).map((r, i) => ({ tenure: Math.round(Math.abs(r[0] as number) * 10), plan: i % 3 === 0 ? 'month' : 'year', charges: 20 + Math.abs(r[1] as number) * 5 }));

export const featureSpec = (): { columns: ({ name: string; type: 'numeric'; scale: 'standard' } | { name: string; type: 'categorical' })[] } => ({
  columns: [
    { name: 'tenure', type: 'numeric', scale: 'standard' },
    { name: 'plan', type: 'categorical' },
    { name: 'charges', type: 'numeric', scale: 'standard' },
  ],
});

/** Rule segments over records(): bands on a numeric field (one integer rule), a map over a categorical one. */
export const segmentRules = (): {
  rules: (
    | { key: string; type: 'bands'; field: string; integer?: boolean; bands: { label: string; min?: number; max?: number; maxInclusive?: boolean }[] }
    | { key: string; type: 'map'; field: string; map: Record<string, string>; otherwise?: string; missing?: string }
  )[];
  separator: string;
} => ({
  rules: [
    { key: 'value', type: 'bands', field: 'charges', bands: [{ label: 'low', max: 25 }, { label: 'mid', min: 25, max: 30 }, { label: 'high', min: 30 }] },
    { key: 'tenure', type: 'bands', field: 'tenure', integer: true, bands: [{ label: 'new', min: 0, max: 5, maxInclusive: true }, { label: 'settled', min: 6 }] },
    { key: 'plan', type: 'map', field: 'plan', map: { month: 'flexible', year: 'committed' }, missing: 'unknown' },
  ],
  separator: ' / ',
});

/** records() plus a few that rules cannot label (a string number, a missing field, an unknown plan). */
export const segmentRecords = (): object[] => [
  ...records().slice(0, 12),
  { tenure: '7', plan: 'year', charges: 22 },
  { plan: 'week', charges: 40 },
  { tenure: 3, charges: 26 },
];
