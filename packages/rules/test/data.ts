// Loads the fixtures in test/fixtures (provenance and licences: test/fixtures/README.md).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const fixture = (name: string): string => {
  const buf = readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
  return name.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
};

const lines = (text: string): string[] => {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
};

/** Groceries (arules), item labels as in the CSV, never trimmed. */
export const groceries = (): string[][] => lines(fixture('groceries.csv.gz')).map((l) => l.split(','));

/** FIMI-format file (space-separated item ids, one transaction per line) as number[][]. */
export const fimi = (name: string): number[][] =>
  lines(fixture(name)).map((l) => l.split(' ').filter((s) => s !== '').map(Number));

/** Groceries item id (as used in the SPMF output) → label. */
export const groceriesLabels = (): Map<number, string> => {
  const out = new Map<number, string>();
  for (const l of lines(fixture('groceries_items.tsv'))) {
    const [id, quoted] = l.split('\t') as [string, string];
    out.set(Number(id), quoted.slice(1, -1));
  }
  return out;
};

/** SPMF itemsets: "1 10 #SUP: 329" → { items, count }. */
export const spmfItemsets = (name: string): { items: number[]; count: number }[] =>
  lines(fixture(name)).map((l) => {
    const [items, sup] = l.split(' #SUP: ') as [string, string];
    return { items: items.split(' ').map(Number), count: Number(sup) };
  });

export const text: (name: string) => string = fixture;
