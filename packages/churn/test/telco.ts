// Loads the Telco churn fixture as the reference preprocessing describes it (REFERENCE.md,
// "Telco preprocessing"): customerID dropped, blank TotalCharges rows dropped (7,043 → 7,032),
// Churn Yes = 1, and the scikit-learn split indices from telco_split.json.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const NUMERIC = ['SeniorCitizen', 'tenure', 'MonthlyCharges', 'TotalCharges'] as const;
export type TelcoRecord = Readonly<Record<string, string | number>>;

export interface Telco {
  readonly records: readonly TelcoRecord[];
  readonly y: readonly number[];
  readonly categorical: readonly string[];
  readonly train: readonly number[];
  readonly test: readonly number[];
  readonly foldsTest: readonly (readonly number[])[];
  readonly featureNames: readonly string[];
}

let cached: Telco | undefined;

export function loadTelco(): Telco {
  if (cached) return cached;
  const text = gunzipSync(readFileSync(new URL('./fixtures/telco.csv.gz', import.meta.url))).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] as string).split(',');
  const records: TelcoRecord[] = [];
  const y: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const total = (cells[header.indexOf('TotalCharges')] as string).trim();
    if (total === '') continue;
    const rec: Record<string, string | number> = {};
    header.forEach((h, j) => {
      if (h === 'customerID' || h === 'Churn') return;
      const v = cells[j] as string;
      rec[h] = (NUMERIC as readonly string[]).includes(h) ? Number(v) : v;
    });
    records.push(rec);
    y.push(cells[header.indexOf('Churn')] === 'Yes' ? 1 : 0);
  }
  const split = JSON.parse(gunzipSync(readFileSync(new URL('./fixtures/telco_split.json.gz', import.meta.url))).toString('utf8')) as {
    train: number[];
    test: number[];
    folds_test: number[][];
    feature_names: string[];
  };
  const categorical = header.filter((h) => h !== 'customerID' && h !== 'Churn' && !(NUMERIC as readonly string[]).includes(h));
  cached = { records, y, categorical, train: split.train, test: split.test, foldsTest: split.folds_test, featureNames: split.feature_names };
  return cached;
}

/**
 * The reference preprocessing written out independently of the library: StandardScaler (population
 * sd) on the numeric columns, OneHotEncoder with sorted levels on the rest, fitted on `fitRows`.
 */
export function referenceDesign(fitRows: readonly TelcoRecord[], categorical: readonly string[]): (rows: readonly TelcoRecord[]) => number[][] {
  const stats = NUMERIC.map((c) => {
    const v = fitRows.map((r) => r[c] as number);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { c, mean, sd };
  });
  const levels = categorical.map((c) => ({ c, levels: [...new Set(fitRows.map((r) => r[c] as string))].sort() }));
  return (rows) =>
    rows.map((r) => {
      const out: number[] = stats.map((s) => ((r[s.c] as number) - s.mean) / s.sd);
      for (const l of levels) for (const v of l.levels) out.push(r[l.c] === v ? 1 : 0);
      return out;
    });
}

export function pick<T>(items: readonly T[], idx: readonly number[]): T[] {
  return idx.map((i) => items[i] as T);
}
