// @crm/core on the CDNOW sample: validate raw rows, clean them, summarize per customer.
import { readFileSync } from 'node:fs';
import { cleanTransactions, summarizeCustomers, validateTransactions } from '@crm/core';

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

export function table(rows, columns) {
  const cells = rows.map((r) => columns.map((c) => c.format(r)));
  const widths = columns.map((c, j) => Math.max(c.label.length, ...cells.map((row) => row[j].length)));
  const line = (values) => values.map((v, j) => (columns[j].align === 'left' ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ');
  return [line(columns.map((c) => c.label)), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export async function run() {
  const rows = cdnowRows();
  const { valid, issues } = validateTransactions(rows, { fields: { customerId: 'id_sample', time: 'date', amount: 'dollars' } });
  // CDNOW has no order ids, and two orders of the same amount on one day are real repeat orders:
  // keep them (duplicates: 'none'). Zero-dollar orders are purchases too (the literature keeps them).
  const { transactions, removed, counts } = cleanTransactions(valid, { duplicates: 'none', returns: 'net' });
  const summaries = summarizeCustomers(transactions, { observationEnd: '1997-09-30', period: 'week' });

  console.log('\n## @crm/core: CDNOW transactions → customer summaries');
  const reasons = Object.entries(counts).filter(([, n]) => n > 0).map(([reason, n]) => `${n} ${reason.replace('_', ' ')}`);
  console.log(`${rows.length} raw rows → ${valid.length} valid (${issues.length} issues) → ${transactions.length} after cleaning (${removed.length} removed${reasons.length ? `: ${reasons.join(', ')}` : ''})`);
  console.log(`${summaries.length} customers in calibration (to 1997-09-30, weeks); ${summaries.filter((s) => s.frequency > 0).length} repeat buyers`);
  const top = [...summaries].sort((a, b) => b.totalSpend - a.totalSpend).slice(0, 8);
  const n2 = (x) => x.toFixed(2);
  console.log('\nTop customers by spend in calibration:');
  console.log(
    table(top, [
      { label: 'customer', align: 'left', format: (s) => s.customerId },
      { label: 'orders', format: (s) => String(s.orders) },
      { label: 'spend $', format: (s) => n2(s.totalSpend) },
      { label: 'frequency', format: (s) => String(s.frequency) },
      { label: 'recency wk', format: (s) => n2(s.recency) },
      { label: 'T wk', format: (s) => n2(s.T) },
      { label: 'monetary $', format: (s) => n2(s.monetary) },
      { label: 'days since last', format: (s) => String(s.daysSinceLastPurchase) },
    ]),
  );
  return { summaries, transactions };
}
