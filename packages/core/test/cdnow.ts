// Reads the bundled CDNOW sample (examples/data/CDNOW_sample.txt) for tests.
import { readFileSync } from 'node:fs';

export interface CdnowRow {
  readonly customerId: string;
  readonly time: string;
  readonly amount: number;
}

/** Raw CSV-like rows of strings, as a user would get them from a file. */
export function cdnowRawRows(): Record<string, string>[] {
  const text = readFileSync(new URL('../../../examples/data/CDNOW_sample.txt', import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [idTotal, idSample, date, cds, dollars] = line.trim().split(/\s+/);
      return { id_total: idTotal!, id_sample: idSample!, date: date!, cds: cds!, dollars: dollars! };
    });
}

export function cdnowTransactions(): CdnowRow[] {
  return cdnowRawRows().map((r) => ({ customerId: String(Number(r.id_sample)), time: r.date!, amount: Number(r.dollars) }));
}
