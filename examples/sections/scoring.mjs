// @crm/scoring on the CDNOW sample: RFM segments, BG/NBD + Gamma-Gamma fitted on weeks 1–39
// (to 1997-09-30), checked against the 39-week holdout, and each customer's 12-month CLV.
import { calibrationHoldout } from '@crm/core';
import { BgNbd, GammaGamma, RF_SEGMENTS, customerLifetimeValue, rfmScores, rfmSegmentTable, rfmSegments } from '@crm/scoring';
import { cdnowTransactions, pct, table } from './shared.mjs';

const money = (x) => `$${x.toFixed(2)}`;

export async function run() {
  console.log('\n## @crm/scoring: RFM segments and customer lifetime value on CDNOW');
  const customers = calibrationHoldout(cdnowTransactions(), { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' });
  console.log(`${customers.length} customers, calibration to 1997-09-30 in weeks, holdout to 1998-06-30`);

  // RFM on total spend rather than mean repeat spend, so one-time buyers are ranked too.
  const rfmInput = customers.map((c) => ({ ...c, monetary: c.totalSpend }));
  const scores = rfmScores(rfmInput);
  const segments = rfmSegments(scores, RF_SEGMENTS);
  console.log('\nRFM segments (quintile scores, 10-segment R×F map):');
  console.log(
    table(rfmSegmentTable(rfmInput, scores, RF_SEGMENTS), [
      { label: 'segment', align: 'left', format: (r) => r.segment },
      { label: 'customers', format: (r) => String(r.count) },
      { label: 'share', format: (r) => pct(r.share) },
      { label: 'mean R', format: (r) => (r.meanR === null ? '–' : r.meanR.toFixed(2)) },
      { label: 'mean F', format: (r) => (r.meanF === null ? '–' : r.meanF.toFixed(2)) },
      { label: 'mean M', format: (r) => (r.meanM === null ? '–' : r.meanM.toFixed(2)) },
      { label: 'revenue', format: (r) => pct(r.revenueShare) },
    ]),
  );

  const bg = BgNbd.fit(customers);
  const gg = GammaGamma.fit(customers);
  const p = bg.params;
  console.log(
    `\nBG/NBD: r ${p.r.toFixed(4)}, α ${p.alpha.toFixed(3)}, a ${p.a.toFixed(4)}, b ${p.b.toFixed(3)}; LL ${bg.report.logLikelihood.toFixed(2)} (${bg.report.iterations} iterations)`,
  );
  console.log(`Gamma-Gamma on ${gg.report.observations} repeat buyers: p ${gg.params.p.toFixed(2)}, q ${gg.params.q.toFixed(2)}, γ ${gg.params.gamma.toFixed(2)}`);
  const predicted = customers.reduce((s, c) => s + bg.expectedPurchases(c.durationHoldout, c), 0);
  const actual = customers.reduce((s, c) => s + c.frequencyHoldout, 0);
  console.log(`Holdout check, ${customers[0].durationHoldout.toFixed(1)} weeks: ${predicted.toFixed(0)} repeat purchases predicted, ${actual} made`);

  const clv = customerLifetimeValue(bg, gg, customers, { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 });
  const total = clv.reduce((s, v) => s + v, 0);
  console.log(`\n12-month CLV (1% a month, months of 30.4375 days): total ${money(total)}, mean ${money(total / clv.length)}`);
  const top = clv
    .map((value, i) => ({ c: customers[i], value, segment: segments[i] }))
    .sort((a, b) => b.value - a.value)
    .slice(0, 8);
  console.log(
    table(top, [
      { label: 'customer', align: 'left', format: (r) => r.c.customerId },
      { label: 'x', format: (r) => String(r.c.frequency) },
      { label: 'recency', format: (r) => r.c.recency.toFixed(1) },
      { label: 'T', format: (r) => r.c.T.toFixed(1) },
      { label: 'P(alive)', format: (r) => bg.probabilityAlive(r.c).toFixed(3) },
      { label: 'E[spend]', format: (r) => money(gg.expectedSpend(r.c)) },
      { label: 'CLV', format: (r) => money(r.value) },
      { label: 'segment', align: 'left', format: (r) => r.segment },
    ]),
  );
  const bySegment = new Map();
  segments.forEach((s, i) => bySegment.set(s, (bySegment.get(s) ?? 0) + clv[i]));
  const ranked = [...bySegment].sort((a, b) => b[1] - a[1]).slice(0, 3);
  console.log(`Most of next year's value sits in: ${ranked.map(([s, v]) => `${s} (${pct(v / total)})`).join(', ')}`);
}
