// The charts of `pnpm demo` as one HTML page, and the key numbers of the whole pipeline.
// `analyse(texts)` is runtime-neutral (no file access): Node runs it here on the built packages and
// examples/deno/main.ts runs it in Deno on the TypeScript sources, and the two must agree.
//
//   node examples/report.mjs          # examples/out/report.html and one SVG per chart
//   node examples/report.mjs --png    # and examples/out/report.png, a screenshot to look at
//   node examples/report.mjs --json   # the key numbers
import { calibrationHoldout, churnLabels, cleanTransactions, FeatureTransformer, summarizeCustomers, validateTransactions } from '@crm/core';
import {
  calibrationChart,
  cohortHeatmapChart,
  dendrogramChart,
  elbowChart,
  expectedPurchasesChart,
  featureImportanceChart,
  gainsChart,
  liftChart,
  precisionRecallChart,
  probabilityAliveChart,
  retentionCurvesChart,
  rfmHeatmapChart,
  rocChart,
  ruleScatterChart,
  segmentProfilesChart,
  segmentSizesChart,
  silhouetteChart,
  somHitMapChart,
  somUMatrixChart,
  survivalChart,
} from '@crm/core/charts';
import { BgNbd, cohortRetention, cohortSurvivors, customerLifetimeValue, GammaGamma, populationLoyalty, rfmScores, ShiftedBetaGeometric } from '@crm/scoring';
import { Agglomerative, chooseK, KMeans, profileSegments, Som } from '@crm/segment';
import { associationRules, fpGrowth } from '@crm/rules';
import { calibrationCurve, CoxPh, kaplanMeierByGroup, liftTable, logRankTest, LogisticRegression, prAuc, RandomForest, rocAuc } from '@crm/churn';
import { parseTelco } from './telco.mjs';

/** The data files, relative to examples/ (each with its source and licence in the README beside it). */
export const DATA_FILES = {
  cdnow: 'data/CDNOW_sample.txt',
  mall: '../packages/segment/test/fixtures/Mall_Customers.csv',
  groceries: '../packages/rules/test/fixtures/groceries.csv.gz',
  telco: '../packages/churn/test/fixtures/telco.csv.gz',
  telcoSplit: '../packages/churn/test/fixtures/telco_split.json.gz',
};

const SEED = 7;
const CALIBRATION_END = '1997-09-30';
const OBSERVATION_END = '1998-06-30';
const COHORT_START = Date.UTC(1997, 0, 1);
const WEEK_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

/** Reads the data files as text with Node (gzip-compressed ones unpacked). */
export async function loadTexts() {
  const { readFileSync } = await import('node:fs');
  const { gunzipSync } = await import('node:zlib');
  const out = {};
  for (const [key, rel] of Object.entries(DATA_FILES)) {
    const bytes = readFileSync(new URL(rel, import.meta.url));
    out[key] = (rel.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  }
  return out;
}

const csvLines = (text) => text.split(/\r?\n/).filter((l) => l.trim() !== '');

/** ROC and precision–recall points of scores against 0/1 labels, one point per distinct score. */
export function curves(y, scores) {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  const positives = y.reduce((a, b) => a + b, 0);
  const negatives = y.length - positives;
  const fpr = [0];
  const tpr = [0];
  const recall = [0];
  const precision = [1];
  let tp = 0;
  let fp = 0;
  order.forEach((i, r) => {
    if (y[i]) tp++;
    else fp++;
    const next = order[r + 1];
    if (next !== undefined && scores[next] === scores[i]) return;
    fpr.push(fp / negatives);
    tpr.push(tp / positives);
    recall.push(tp / positives);
    precision.push(tp / (tp + fp));
  });
  return { fpr, tpr, recall, precision };
}

/** The CDNOW sample's orders, validated (customer id, UTC date, amount). */
function cdnowOrders(text) {
  const rows = csvLines(text).map((line) => {
    const [, id, date, cds, dollars] = line.trim().split(/\s+/);
    return { id, date, cds, dollars };
  });
  return validateTransactions(rows, { fields: { customerId: 'id', time: 'date', amount: 'dollars' } }).valid;
}

function cdnow(text) {
  const valid = cdnowOrders(text);
  const { transactions } = cleanTransactions(valid, { duplicates: 'none', returns: 'net' });
  const holdout = calibrationHoldout(transactions, { calibrationEnd: CALIBRATION_END, observationEnd: OBSERVATION_END, period: 'week' });
  const bg = BgNbd.fit(holdout);
  const repeat = holdout.filter((c) => c.frequency > 0);
  const gg = GammaGamma.fit(repeat);

  const clv = customerLifetimeValue(bg, gg, holdout, { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 });

  // RFM on the calibration summaries (monetary = total spend), customers per R × F cell.
  const rfm = rfmScores(holdout.map((c) => ({ ...c, monetary: c.totalSpend })));
  const rfmGrid = Array.from({ length: 5 }, () => new Array(5).fill(0));
  const rfmSpend = Array.from({ length: 5 }, () => new Array(5).fill(0));
  rfm.forEach((s, i) => {
    rfmGrid[s.r - 1][s.f - 1]++;
    rfmSpend[s.r - 1][s.f - 1] += holdout[i].totalSpend;
  });

  // Cumulative repeat purchases per week since the cohort started, and what BG/NBD expects.
  const first = new Map();
  for (const t of transactions) {
    const ms = t.time.getTime();
    if (!first.has(t.customerId) || ms < first.get(t.customerId)) first.set(t.customerId, ms);
  }
  const weeks = Math.round((Date.parse(OBSERVATION_END) + DAY_MS - COHORT_START) / WEEK_MS);
  const perWeek = new Array(weeks + 1).fill(0);
  const days = new Set();
  for (const t of transactions) {
    const day = Math.floor(t.time.getTime() / DAY_MS);
    const key = `${t.customerId}|${day}`;
    if (day * DAY_MS <= first.get(t.customerId) || days.has(key)) continue;
    days.add(key);
    perWeek[Math.min(weeks, Math.ceil((t.time.getTime() - COHORT_START) / WEEK_MS))]++;
  }
  const t = Array.from({ length: weeks + 1 }, (_, w) => w);
  let acc = 0;
  const actual = perWeek.map((n) => (acc += n));
  const starts = [...first.values()].map((ms) => (ms - COHORT_START) / WEEK_MS + 1 / 7);
  const expected = t.map((w) => starts.reduce((a, s) => a + (w > s ? bg.expectedPurchases(w - s) : 0), 0));
  const calibrationWeek = (Date.parse(CALIBRATION_END) + DAY_MS - COHORT_START) / WEEK_MS;

  // P(alive) at the age of the oldest customers, over the histories seen.
  const maxT = Math.max(...holdout.map((c) => c.T));
  const frequency = Array.from({ length: 1 + Math.min(20, Math.max(...holdout.map((c) => c.frequency))) }, (_, i) => i);
  const recency = Array.from({ length: Math.floor(maxT / 2) + 1 }, (_, j) => 2 * j);
  const alive = frequency.map((f) => recency.map((r) => bg.probabilityAlive({ frequency: f, recency: f === 0 ? 0 : r, T: maxT })));

  // Churn on behaviour: who buys nothing in the holdout, predicted from the calibration summary.
  const labels = churnLabels(transactions, { calibrationEnd: CALIBRATION_END, holdoutEnd: OBSERVATION_END });
  const churned = new Map(labels.map((l) => [l.customerId, l.churned]));
  const cal = summarizeCustomers(transactions, { observationEnd: CALIBRATION_END, period: 'week' });
  const features = ['frequency', 'recency', 'T', 'monetary', 'daysSinceLastPurchase', 'totalSpend'];
  const X = cal.map((s) => features.map((f) => s[f]));
  const y = cal.map((s) => churned.get(s.customerId) ?? 0);
  const trainIdx = [];
  const testIdx = [];
  cal.forEach((s, i) => (Number(s.customerId) % 3 === 0 ? testIdx : trainIdx).push(i));
  const forest = RandomForest.fit(trainIdx.map((i) => X[i]), trainIdx.map((i) => y[i]), { trees: 100, seed: SEED, minSamplesLeaf: 5 });
  const churnAuc = rocAuc(testIdx.map((i) => y[i]), forest.predictProba(testIdx.map((i) => X[i])));

  return {
    numbers: {
      cdnowTransactions: transactions.length,
      cdnowCustomers: holdout.length,
      cdnowRepeatBuyers: repeat.length,
      bgNbd: bg.params,
      gammaGamma: gg.params,
      clv12MonthsTotal: clv.reduce((a, b) => a + b, 0),
      rfmCellsChampions: rfmGrid[4][4],
      holdoutPurchasesActual: holdout.reduce((a, c) => a + c.frequencyHoldout, 0),
      holdoutPurchasesExpected: holdout.reduce((a, c) => a + bg.expectedPurchases(c.durationHoldout, c), 0),
      behaviouralChurnRate: y.reduce((a, b) => a + b, 0) / y.length,
      behaviouralChurnAuc: churnAuc,
    },
    figures: [
      {
        section: 'Customer value (CDNOW, BG/NBD)',
        chart: rfmHeatmapChart({ values: rfmGrid }),
        caption: 'RFM scores (quintiles) of the CDNOW customers at the end of September 1997: recent, frequent buyers in the top right.',
      },
      {
        section: 'Customer value (CDNOW, BG/NBD)',
        chart: rfmHeatmapChart({ values: rfmSpend.map((row) => row.map((v) => Math.round(v))), valueLabel: 'spend ($)' }, { title: 'RFM grid: spend to date by recency and frequency score' }),
        caption: 'The same grid by spend to date: the revenue sits with the recent, frequent buyers.',
      },
      {
        section: 'Customer value (CDNOW, BG/NBD)',
        chart: expectedPurchasesChart(
          [
            { label: 'actual', t, purchases: actual },
            { label: 'BG/NBD (fitted to weeks 0–39)', t, purchases: expected },
          ],
          { xLabel: `Weeks since 1997-01-01 (calibration ends at week ${calibrationWeek.toFixed(0)})`, yLabel: 'Cumulative repeat purchases' },
        ),
        caption: `Cumulative repeat purchases of the ${holdout.length.toLocaleString('en-US')} CDNOW customers: the model, fitted to the first ${calibrationWeek.toFixed(0)} weeks, follows the weeks it never saw and ends ${(100 * (1 - expected[weeks] / actual[weeks])).toFixed(0)}% below the actual count (${Math.round(expected[weeks])} against ${actual[weeks]}).`,
      },
      {
        section: 'Customer value (CDNOW, BG/NBD)',
        chart: probabilityAliveChart({ frequency, recency, values: alive }, { periodLabel: 'weeks' }),
        caption: `P(alive) at week ${maxT.toFixed(1)}: customers who bought often but not lately (top left) have most likely left.`,
      },
    ],
  };
}

function mall(text) {
  const [, ...lines] = csvLines(text);
  const rows = lines.map((l) => l.split(','));
  const raw = rows.map((r) => [Number(r[2]), Number(r[3]), Number(r[4])]);
  const names = ['age', 'income (k$)', 'spending score'];
  const X = raw.map((r) => [r[1], r[2]]);
  const scores = chooseK(X, { kRange: [2, 10], method: 'silhouette', seed: SEED });
  const k = 5;
  const model = KMeans.fit(X, { k, seed: SEED });
  const profile = profileSegments(raw, model.labels, { featureNames: names, maxTerms: 2 });
  const segments = profile.segments.slice().sort((a, b) => b.size - a.size);
  const tree = Agglomerative.fit(X, { linkage: 'ward' });
  const merges = tree.merges.map((m) => [m.left, m.right, m.height]);
  const n = X.length;
  const cut = ((tree.merges[n - 1 - k]?.height ?? 0) + (tree.merges[n - k]?.height ?? 0)) / 2;
  const mean = [0, 1, 2].map((j) => raw.reduce((a, r) => a + r[j], 0) / n);
  const sd = [0, 1, 2].map((j) => Math.sqrt(raw.reduce((a, r) => a + (r[j] - mean[j]) ** 2, 0) / n));
  const Z = raw.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  const som = Som.fit(Z, { rows: 8, cols: 8, topology: 'hexagonal', seed: SEED });
  const hits = Array.from({ length: 8 }, () => new Array(8).fill(0));
  for (const [r, c] of som.coordinates(Z)) hits[r][c]++;
  const describe = (s) => (s.description ? `${s.description}` : `segment ${s.label}`);
  return {
    numbers: {
      mallChosenK: scores.k,
      mallKMeansInertia: model.inertia,
      mallSegmentSizes: segments.map((s) => s.size),
      mallWardSizesAtK5: Object.values(tree.labels({ k }).reduce((a, l) => ((a[l] = (a[l] ?? 0) + 1), a), {})).sort((a, b) => b - a),
      mallSomQuantizationError: som.quantizationError(Z),
    },
    figures: [
      { section: 'Segments (Mall customers)', chart: elbowChart({ k: scores.scores.map((s) => s.k), inertia: scores.scores.map((s) => s.inertia) }, { chosenK: k }), caption: 'k-means on income and spending score: the bend at k = 5.' },
      { section: 'Segments (Mall customers)', chart: silhouetteChart({ k: scores.scores.map((s) => s.k), silhouette: scores.scores.map((s) => s.silhouette) }, { chosenK: k }), caption: `Mean silhouette peaks at k = ${scores.k}.` },
      { section: 'Segments (Mall customers)', chart: segmentSizesChart(segments.map((s) => ({ label: describe(s), count: s.size })), { width: 720 }), caption: 'Customers per k-means segment, described by how they differ from the average.' },
      {
        section: 'Segments (Mall customers)',
        chart: segmentProfilesChart({ segments: segments.map(describe), features: names, values: segments.map((s) => names.map((f) => s.mean[f])) }, { width: 720 }),
        caption: 'Segment means; colour is the distance from the mean of the segments in standard deviations.',
      },
      { section: 'Segments (Mall customers)', chart: dendrogramChart({ merges }, { maxLeaves: 30, cutHeight: cut }), caption: 'Ward clustering of the same customers, last 29 merges; the cut gives five clusters.' },
      { section: 'Segments (Mall customers)', chart: somUMatrixChart({ distances: som.uMatrix() }, { hexagonal: true }), caption: 'An 8 × 8 hexagonal self-organizing map of age, income and score: dark ridges separate customer types.' },
      { section: 'Segments (Mall customers)', chart: somHitMapChart({ counts: hits }, { hexagonal: true }), caption: 'Customers per map unit.' },
    ],
  };
}

function groceries(text) {
  const baskets = csvLines(text).map((l) => l.split(',').map((s) => s.trim()).filter(Boolean));
  const itemsets = fpGrowth(baskets, { minSupport: 0.005 });
  const rules = associationRules(itemsets, { metric: 'confidence', minThreshold: 0.2 });
  const byLift = rules.slice().sort((a, b) => b.lift - a.lift || b.support - a.support);
  const fmt = (r) => `{${[...r.antecedent].join(', ')}} → {${[...r.consequent].join(', ')}}`;
  return {
    numbers: { groceriesBaskets: baskets.length, groceriesItemsets: itemsets.itemsets.length, groceriesRules: rules.length, groceriesTopRule: fmt(byLift[0]), groceriesTopLift: byLift[0].lift },
    figures: [
      {
        section: 'Basket rules (Groceries)',
        chart: ruleScatterChart(rules.map((r) => ({ label: fmt(r), support: r.support, confidence: r.confidence, lift: r.lift }))),
        caption: `${rules.length} rules with support ≥ 0.5% and confidence ≥ 20% from 9,835 baskets; the strongest: ${fmt(byLift[0])} (lift ${byLift[0].lift.toFixed(2)}).`,
      },
    ],
  };
}

function telco(text, splitText) {
  const { records, y, spec } = parseTelco(text);
  const split = JSON.parse(splitText);
  const pick = (a, idx) => idx.map((i) => a[i]);
  const design = FeatureTransformer.fit(pick(records, split.train), spec);
  const Xtrain = design.transform(pick(records, split.train));
  const Xtest = design.transform(pick(records, split.test));
  const ytrain = pick(y, split.train);
  const ytest = pick(y, split.test);
  const forest = RandomForest.fit(Xtrain, ytrain, { trees: 100, seed: SEED, minSamplesLeaf: 5 });
  const logistic = LogisticRegression.fit(Xtrain, ytrain);
  const models = [
    ['random forest', Array.from(forest.predictProba(Xtest))],
    ['logistic regression', Array.from(logistic.predictProba(Xtest))],
  ];
  const scored = models.map(([label, p]) => ({ label, p, auc: rocAuc(ytest, p), ap: prAuc(ytest, p), lift: liftTable(ytest, p), cal: calibrationCurve(ytest, p, { bins: 10 }), ...curves(ytest, p) }));
  const base = ytest.reduce((a, b) => a + b, 0) / ytest.length;
  const importance = forest.featureImportances.map((v, i) => ({ feature: design.featureNames[i], importance: v }));
  return {
    numbers: {
      telcoTrain: Xtrain.length,
      telcoTest: Xtest.length,
      telcoForestAuc: scored[0].auc,
      telcoLogisticAuc: scored[1].auc,
      telcoForestTopDecileLift: scored[0].lift[0].lift,
      telcoLiftTable: scored[0].lift.map((r) => [r.group, r.count, r.positives, r.gain, r.cumulativeLift]),
    },
    figures: [
      { section: 'Churn (Telco)', chart: rocChart(scored.map((s) => ({ label: s.label, fpr: s.fpr, tpr: s.tpr, auc: s.auc }))), caption: `ROC curves on the ${Xtest.length.toLocaleString('en-US')} held-out Telco customers (${((100 * Xtest.length) / (Xtest.length + Xtrain.length)).toFixed(0)}%), models trained on the other ${Xtrain.length.toLocaleString('en-US')}.` },
      { section: 'Churn (Telco)', chart: precisionRecallChart(scored.map((s) => ({ label: s.label, recall: s.recall, precision: s.precision, averagePrecision: s.ap })), { baseline: base }), caption: `Precision and recall; ${(base * 100).toFixed(1)}% of test customers churned.` },
      { section: 'Churn (Telco)', chart: gainsChart(scored.map((s) => ({ label: s.label, fraction: s.lift.map((r) => r.cumulativeCount / ytest.length), gain: s.lift.map((r) => r.gain) }))), caption: `Contacting the 30% of customers the forest ranks riskiest reaches ${(100 * scored[0].lift[2].gain).toFixed(0)}% of the churners.` },
      { section: 'Churn (Telco)', chart: liftChart(scored.map((s) => ({ label: s.label, fraction: s.lift.map((r) => r.cumulativeCount / ytest.length), lift: s.lift.map((r) => r.cumulativeLift) }))), caption: 'Cumulative lift by decile of predicted risk.' },
      { section: 'Churn (Telco)', chart: calibrationChart(scored.map((s) => ({ label: s.label, predicted: s.cal.filter((b) => b.count > 0).map((b) => b.meanPredicted), observed: s.cal.filter((b) => b.count > 0).map((b) => b.fractionPositive) }))), caption: 'Predicted churn probability against the observed churn rate, ten bins.' },
      { section: 'Churn (Telco)', chart: featureImportanceChart(importance, { maxFeatures: 15, measure: 'Mean impurity decrease (random forest)' }), caption: 'What the forest splits on most: tenure, contract and charges.' },
    ],
  };
}

/** Months of the pooled CDNOW cohorts the sBG is fitted to (0–6), and how far it is projected (12). */
const SBG_FIT_MONTHS = 6;
const SBG_PROJECT_MONTHS = 12;
/** The Telco covariates of the Cox model (as in docs/retention.md). */
const COX_COVARIATES = [
  ['MonthlyCharges', (r) => r.MonthlyCharges],
  ['SeniorCitizen', (r) => r.SeniorCitizen],
  ['OneYear', (r) => (r.Contract === 'One year' ? 1 : 0)],
  ['TwoYear', (r) => (r.Contract === 'Two year' ? 1 : 0)],
  ['FiberOptic', (r) => (r.InternetService === 'Fiber optic' ? 1 : 0)],
  ['ElectronicCheck', (r) => (r.PaymentMethod === 'Electronic check' ? 1 : 0)],
  ['PaperlessBilling', (r) => (r.PaperlessBilling === 'Yes' ? 1 : 0)],
];

/** Retention: CDNOW acquisition cohorts with an sBG projection, Telco survival by contract and a Cox model (docs/retention.md). */
function retention(cdnowText, telcoText) {
  const orders = cdnowOrders(cdnowText);
  const table = cohortRetention(orders, { cohort: 'month', period: 'month', observationEnd: OBSERVATION_END });
  const survivors = cohortSurvivors(table, { cohort: 'pooled', periods: SBG_PROJECT_MONTHS });
  const sbg = ShiftedBetaGeometric.fit(survivors.slice(0, SBG_FIT_MONTHS + 1));
  const months = Array.from({ length: SBG_PROJECT_MONTHS + 1 }, (_, t) => t);
  const loyalty = populationLoyalty(orders, { period: 'month', observationEnd: OBSERVATION_END });

  // Telco: the 7,032 subscribers with a bill (tenure ≥ 1); tenure in months, churned or censored.
  const { records, y } = parseTelco(telcoText);
  const tenure = { durations: records.map((r) => r.tenure), events: y };
  const contract = records.map((r) => r.Contract);
  const byContract = kaplanMeierByGroup(tenure, contract);
  const logRank = logRankTest(tenure, contract);
  const cox = CoxPh.fit(
    records.map((r) => COX_COVARIATES.map(([, value]) => value(r))),
    tenure,
    { featureNames: COX_COVARIATES.map(([name]) => name) },
  );
  const hazardRatio = (name) => cox.summary.find((s) => s.feature === name).hazardRatio;
  const monthToMonth = byContract.find((g) => g.group === 'Month-to-month').model;
  const last = survivors[SBG_PROJECT_MONTHS] / survivors[0];

  return {
    numbers: {
      cohortCustomers: table.cohorts.map((c) => c.customers),
      cohortMonth1Retention: table.cohorts.map((c) => c.retention[1]),
      sbg: sbg.params,
      sbgMonth12Projected: sbg.survival(SBG_PROJECT_MONTHS),
      sbgMonth12Observed: last,
      repeatPurchaseRate: loyalty.overall.repeatPurchaseRate,
      telcoMonthToMonthMedian: monthToMonth.median().time,
      telcoSurvival24ByContract: byContract.map((g) => g.model.survival(24)),
      telcoLogRank: logRank.statistic,
      coxHazardRatioTwoYear: hazardRatio('TwoYear'),
      coxHazardRatioFiberOptic: hazardRatio('FiberOptic'),
      coxConcordance: cox.concordance.value,
      coxPhGlobalP: cox.proportionalHazards.global.p,
    },
    figures: [
      {
        section: 'Retention (CDNOW cohorts, Telco survival)',
        chart: cohortHeatmapChart(table, { xLabel: 'Months since first purchase' }),
        caption: `Share of each CDNOW acquisition cohort buying in each month since its first purchase (${table.cohorts.map((c) => `${c.label}: ${c.customers}`).join(', ')} customers); months after June 1998 are censored, not 0.`,
      },
      {
        section: 'Retention (CDNOW cohorts, Telco survival)',
        chart: retentionCurvesChart(table, { xLabel: 'Months since first purchase' }),
        caption: `The same table as curves: about ${(100 * table.cohorts[0].retention[1]).toFixed(0)}% of a cohort buys again in its second month, then fewer than one in eight a month.`,
      },
      {
        section: 'Retention (CDNOW cohorts, Telco survival)',
        chart: retentionCurvesChart(
          {
            cohorts: [
              { label: 'observed (bought then or later)', retention: months.map((t) => survivors[t] / survivors[0]) },
              { label: `sBG fitted to months 0–${SBG_FIT_MONTHS}`, retention: months.map((t) => sbg.survival(t)) },
            ],
          },
          { title: 'sBG projection against the observed survivors', xLabel: 'Months since first purchase', yLabel: 'Share of the cohorts still buying' },
        ),
        caption: `Shifted-beta-geometric fitted to the pooled cohorts' months 0–${SBG_FIT_MONTHS}, projected to month ${SBG_PROJECT_MONTHS}: ${sbg.survival(SBG_PROJECT_MONTHS).toFixed(2)} against ${last.toFixed(2)} observed; the observed count understates survival near the end of the data.`,
      },
      {
        section: 'Retention (CDNOW cohorts, Telco survival)',
        chart: survivalChart(
          byContract.map((g) => ({ label: String(g.group), ...g.model.table })),
          { title: 'Kaplan–Meier by contract type', xLabel: 'Tenure (months)', yLabel: 'Share still subscribed' },
        ),
        caption: `Telco subscribers still subscribed by tenure, 95% bands: half of the month-to-month ones have left after ${monthToMonth.median().time} months; log-rank χ² = ${logRank.statistic.toFixed(0)} (2 df). In a Cox model a two-year contract multiplies the churn hazard by ${hazardRatio('TwoYear').toFixed(3)} (concordance ${cox.concordance.value.toFixed(3)}).`,
      },
    ],
  };
}

/** Runs the whole pipeline on the data texts; returns the key numbers and the report's figures. */
export function analyse(texts) {
  const parts = [cdnow(texts.cdnow), mall(texts.mall), groceries(texts.groceries), telco(texts.telco, texts.telcoSplit), retention(texts.cdnow, texts.telco)];
  return { numbers: Object.assign({}, ...parts.map((p) => p.numbers)), figures: parts.flatMap((p) => p.figures) };
}

/**
 * Key numbers as printed: 6 significant digits. Maximum-likelihood fits stop at their optimizer's
 * tolerance, so the last digits of a fitted parameter (beyond ~1e-8 relative) can differ between
 * JavaScript engines whose Math.exp/log/pow round differently in the last bit.
 */
export function printable(numbers) {
  return JSON.parse(JSON.stringify(numbers, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v)));
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The report as one self-contained HTML page (charts inline). */
export function renderHtml(figures) {
  const sections = [...new Set(figures.map((f) => f.section))];
  const body = sections
    .map((s) => `<h2>${escapeHtml(s)}</h2><div class="grid">${figures.filter((f) => f.section === s).map((f) => `<figure>${f.chart}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`).join('')}</div>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>@crm demo report</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; max-width: 1240px; margin: 2rem auto; padding: 0 1rem; color: #222; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid #eee; border-radius: 6px; padding: 0.5rem; }
figure svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { color: #555; font-size: 0.9rem; }
</style></head>
<body><h1>@crm demo report</h1>
<p>CDNOW (customer value, cohort retention), Mall customers (segments), Groceries (basket rules) and Telco (churn, survival), computed by <code>pnpm demo</code>.</p>
${body}
</body></html>
`;
}

/** Writes examples/out/report.html (and one .svg per chart); returns the path of the HTML. */
export async function writeReport(figures) {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const dir = fileURLToPath(new URL('./out/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  figures.forEach((f, i) => writeFileSync(`${dir}chart-${String(i + 1).padStart(2, '0')}.svg`, String(f.chart)));
  writeFileSync(`${dir}report.html`, renderHtml(figures));
  return `${dir}report.html`;
}

if (typeof process !== 'undefined' && process.argv?.[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const { numbers, figures } = analyse(await loadTexts());
  if (process.argv.includes('--json')) console.log(JSON.stringify(printable(numbers), null, 2));
  else {
    const html = await writeReport(figures);
    console.log(`${figures.length} charts → ${html}`);
    if (process.argv.includes('--png')) console.log(`screenshot → ${await screenshot(html)}`);
  }
}

/** A full-page PNG of the report from headless Chromium (Debian's /usr/bin/chromium), to look at the charts. */
export async function screenshot(htmlPath) {
  const { chromium } = await import('playwright-core');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const profile = mkdtempSync(`${tmpdir()}/crm-report-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`file://${htmlPath}`);
    const png = htmlPath.replace(/\.html$/, '.png');
    await page.screenshot({ path: png, fullPage: true });
    return png;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
