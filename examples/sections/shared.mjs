// Helpers the demo sections share: the bundled CDNOW data and plain-text tables.
import { readFileSync } from 'node:fs';

/** The CDNOW sample as raw rows of strings, as a user would read them from the file. */
export function cdnowRows() {
  const text = readFileSync(new URL('../data/CDNOW_sample.txt', import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [idTotal, idSample, date, cds, dollars] = line.trim().split(/\s+/);
      return { id_total: idTotal, id_sample: idSample, date, cds, dollars };
    });
}

/** The CDNOW sample as clean transactions (`customerId`, ISO `time`, numeric `amount`). */
export function cdnowTransactions() {
  return cdnowRows().map(({ id_sample, date, dollars }) => ({
    customerId: id_sample,
    time: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
    amount: Number(dollars),
  }));
}

/** A plain-text table: `columns` are `{ label, format(row), align? }`. */
export function table(rows, columns) {
  const cells = rows.map((r) => columns.map((c) => c.format(r)));
  const widths = columns.map((c, j) => Math.max(c.label.length, ...cells.map((row) => row[j].length)));
  const line = (values) => values.map((v, j) => (columns[j].align === 'left' ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ');
  return [line(columns.map((c) => c.label)), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** A share as a percentage with one decimal. */
export const pct = (x) => `${(100 * x).toFixed(1)}%`;
