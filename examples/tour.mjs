// The tour of the README: every package in a few lines on the bundled CDNOW data (`node examples/tour.mjs` after `pnpm build`).
import { summarizeCustomers, calibrationHoldout, churnLabels, FeatureTransformer } from '@crm/core';
import { BgNbd, GammaGamma, customerLifetimeValue, rfmScores, rfmSegments, RF_SEGMENTS } from '@crm/scoring';
import { KMeans, silhouette } from '@crm/segment';
import { fpGrowth, associationRules, recommend } from '@crm/rules';
import { RandomForest } from '@crm/churn';
import { cdnowTransactions } from './sections/shared.mjs';

const transactions = cdnowTransactions();
const customers = summarizeCustomers(transactions, { observationEnd: '1997-09-30', period: 'week' });

// Customer value: RFM segments and 12-month CLV from BG/NBD + Gamma-Gamma.
const segments = rfmSegments(rfmScores(customers), RF_SEGMENTS); // 'Champions', 'At Risk', …
const bg = BgNbd.fit(customers); // r .2426, α 4.414, a .7929, b 2.426 (Fader, Hardie & Lee 2005)
const gg = GammaGamma.fit(customers.filter((c) => c.frequency > 0));
const clv = customerLifetimeValue(bg, gg, customers, { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 });

// Segments: k-means on scaled RFM features.
const features = FeatureTransformer.fit(customers, {
  columns: ['daysSinceLastPurchase', 'orders', 'totalSpend'].map((name) => ({ name, type: 'numeric', scale: 'standard' })),
});
const X = features.transform(customers);
const kmeans = KMeans.fit(X, { k: 4, seed: 7 });
const quality = silhouette(X, kmeans.labels);

// Baskets: rules and what to offer next.
const baskets = [['milk', 'bread'], ['milk', 'eggs'], ['milk', 'bread', 'eggs'], ['bread']];
const rules = associationRules(fpGrowth(baskets, { minSupport: 0.5 }), { metric: 'confidence', minThreshold: 0.6 });
recommend(rules, ['bread'], { top: 3 });

// Churn: who will not buy in the next 39 weeks?
const split = { calibrationEnd: '1997-09-30' };
const rows = calibrationHoldout(transactions, { ...split, observationEnd: '1998-06-30', period: 'week' });
const y = churnLabels(transactions, { ...split, holdoutEnd: '1998-06-30' }).map((l) => l.churned);
const Xc = rows.map((r) => [r.frequency, r.recency, r.T, r.monetary]);
const forest = RandomForest.fit(Xc, y, { trees: 100, seed: 7, oobScore: true });

console.log('customer', customers[0].customerId, 'segment', segments[0], '12-month CLV', clv[0].toFixed(2));
console.log('BG/NBD', bg.params);
console.log('k-means inertia', kmeans.inertia.toFixed(1), 'silhouette', quality.toFixed(3));
console.log('offer with bread', recommend(rules, ['bread'], { top: 3 }).map((r) => `${r.item} (${r.score.toFixed(2)})`));
console.log('forest out-of-bag', forest.oob);
