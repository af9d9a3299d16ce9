import { readFileSync } from 'node:fs';

/** Reads a CSV fixture of numbers (first line: header) into records. */
export function readCsv(name: string): Record<string, number>[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const keys = (head as string).split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: Record<string, number> = {};
    keys.forEach((k, i) => {
      row[k] = Number(cells[i]);
    });
    return row;
  });
}

/** The CDNOW calibration summary (weeks), in @crm field names. */
export function cdnowSummary(): { id: number; frequency: number; recency: number; T: number; monetary: number }[] {
  return readCsv('cdnow_customers_summary_with_transactions.csv').map((r) => ({
    id: r.ID as number,
    frequency: r.x as number,
    recency: r.t_x as number,
    T: r.T as number,
    monetary: r.zbar as number,
  }));
}

/** |actual − expected| / |expected|. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
