// @crm/segment on the CDNOW sample: customer segments on RFM features, with profiles a marketer can read.
import { summarizeCustomers } from '@crm/core';
import { Agglomerative, KMeans, chooseK, profileSegments } from '@crm/segment';
import { cdnowTransactions, table } from './shared.mjs';

/** Share of pairs of customers on which two labellings agree (Rand index). */
function randIndex(a, b) {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      pairs++;
      if ((a[i] === a[j]) === (b[i] === b[j])) agree++;
    }
  }
  return agree / pairs;
}

export async function run() {
  const summaries = summarizeCustomers(cdnowTransactions(), { observationEnd: '1998-06-30', period: 'day' });
  // RFM: days since last purchase, number of orders, total spend. Orders and spend are heavily
  // skewed, so cluster on log(1 + x), then put the three columns on one scale (z-scores).
  const raw = summaries.map((s) => [s.daysSinceLastPurchase, Math.log1p(s.orders), Math.log1p(s.totalSpend)]);
  const mean = [0, 1, 2].map((j) => raw.reduce((a, r) => a + r[j], 0) / raw.length);
  const sd = [0, 1, 2].map((j) => Math.sqrt(raw.reduce((a, r) => a + (r[j] - mean[j]) ** 2, 0) / raw.length));
  const X = raw.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));

  console.log('\n## @crm/segment: customer segments on RFM features (CDNOW, to 1998-06-30)');
  const choice = chooseK(X, { kRange: [2, 8], method: 'silhouette', seed: 7 });
  console.log(`${summaries.length} customers; k-means for k = 2…8, scored (features: recency, log orders, log spend; z-scores):`);
  console.log(
    table(choice.scores, [
      { label: 'k', format: (s) => String(s.k) },
      { label: 'inertia', format: (s) => s.inertia.toFixed(0) },
      { label: 'silhouette', format: (s) => s.silhouette.toFixed(3) },
      { label: 'Davies-Bouldin', format: (s) => s.daviesBouldin.toFixed(3) },
      { label: 'Calinski-Harabasz', format: (s) => s.calinskiHarabasz.toFixed(0) },
    ]),
  );
  // The best silhouette is the coarsest split; four segments are what a CRM team can act on and
  // still score well, so the demo keeps k = 4 and says so.
  const k = 4;
  console.log(`best silhouette at k = ${choice.k}; elbow at k = ${chooseK(X, { kRange: [2, 8], method: 'elbow', seed: 7 }).k}; using k = ${k} for campaigns`);
  const model = KMeans.fit(X, { k, seed: 7 });

  // Medians in days, orders and dollars come from the raw values; the words come from the features
  // the segments were built on (log orders and log spend), where a one-off buyer is far from the mean.
  const records = summaries.map((s) => ({ recency: s.daysSinceLastPurchase, orders: s.orders, spend: s.totalSpend }));
  const profiles = profileSegments(records, model.labels);
  const described = profileSegments(X, model.labels, {
    featureNames: ['recency', 'orders', 'spend'],
    words: {
      recency: { high: 'lapsed', low: 'recent' },
      orders: { high: 'frequent', low: 'one-off' },
      spend: { high: 'high spend', low: 'low spend' },
    },
  });
  const description = new Map(described.segments.map((s) => [s.label, s.description]));
  console.log(`\nSegment profiles (k-means, k = ${k}, seed 7; medians of the raw values):`);
  console.log(
    table(profiles.segments, [
      { label: 'segment', format: (s) => String(s.label) },
      { label: 'customers', format: (s) => String(s.size) },
      { label: 'share', format: (s) => `${(s.share * 100).toFixed(1)}%` },
      { label: 'days since last', format: (s) => s.median.recency.toFixed(0) },
      { label: 'orders', format: (s) => s.median.orders.toFixed(0) },
      { label: 'spend $', format: (s) => s.median.spend.toFixed(2) },
      { label: 'description', align: 'left', format: (s) => description.get(s.label) },
    ]),
  );

  const ward = Agglomerative.fit(X, { linkage: 'ward' });
  const wardLabels = ward.labels({ k });
  const top = ward.merges.slice(-3).map((m) => m.height.toFixed(1));
  console.log(`\nWard hierarchy on the same customers: last three merge heights ${top.join(', ')}; its ${k} segments agree with k-means on ${(randIndex(wardLabels, model.labels) * 100).toFixed(1)}% of customer pairs.`);
  return { model, profiles };
}
