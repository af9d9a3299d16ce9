// @crm/core on the CDNOW sample: validate raw rows, clean them, summarize per customer.
import { cleanTransactions, summarizeCustomers, validateTransactions } from '@crm/core';
import { cdnowRows, table } from './shared.mjs';

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
