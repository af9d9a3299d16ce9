// Data sets of the churn benchmark: Telco with the reference preprocessing and split (from the
// package's test fixtures) and a seeded 100,000-row synthetic set.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FeatureTransformer, createRng } from '@crm/core';
import { parseTelco } from '../../examples/telco.mjs';

const fixtures = new URL('../../packages/churn/test/fixtures/', import.meta.url);

/** Telco as in REFERENCE.md: blank TotalCharges dropped, standard scaling + sorted one-hot fitted on the train rows. */
export function telco() {
  const { records, y, spec } = parseTelco(gunzipSync(readFileSync(new URL('telco.csv.gz', fixtures))).toString('utf8'));
  const split = JSON.parse(gunzipSync(readFileSync(new URL('telco_split.json.gz', fixtures))).toString('utf8'));
  const train = split.train.map((i) => records[i]);
  const test = split.test.map((i) => records[i]);
  const tf = FeatureTransformer.fit(train, spec);
  return {
    name: 'Telco',
    XTrain: tf.transform(train),
    yTrain: split.train.map((i) => y[i]),
    XTest: tf.transform(test),
    yTest: split.test.map((i) => y[i]),
  };
}

/**
 * 100,000 training + 20,000 test rows, 20 features: 8 normal, 4 uniform, 8 binary; churn drawn
 * from a logistic model with one interaction and one threshold effect (so trees and the network
 * have something linear models miss). Seeded: the same rows on every run.
 */
export function synthetic(n = 100000, nTest = 20000) {
  const rng = createRng(20261122);
  const beta = Array.from({ length: 20 }, (_, j) => (j % 3 === 0 ? 0 : rng.normal(0, 0.6)));
  const make = (rows) => {
    const X = [];
    const y = [];
    for (let i = 0; i < rows; i++) {
      const row = new Array(20);
      for (let j = 0; j < 8; j++) row[j] = rng.normal();
      for (let j = 8; j < 12; j++) row[j] = rng.uniform();
      for (let j = 12; j < 20; j++) row[j] = rng.uniform() < 0.3 ? 1 : 0;
      let z = -1.2 + 0.8 * row[0] * row[1] + (row[2] > 0.5 ? 1 : 0);
      for (let j = 0; j < 20; j++) z += beta[j] * row[j];
      X.push(row);
      y.push(rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
    }
    return { X, y };
  };
  const tr = make(n);
  const te = make(nTest);
  return { name: 'synthetic 100k', XTrain: tr.X, yTrain: tr.y, XTest: te.X, yTest: te.y };
}

/**
 * Telco's training rows repeated `copies` times, seeded N(0, 0.05²) noise added to the three
 * continuous standardised columns (tenure, MonthlyCharges, TotalCharges) so no two copies tie; the
 * test rows unchanged. The larger sets of the forest and boosting benchmarks.
 */
export function replicated(base, copies) {
  if (copies === 1) return base;
  const rng = createRng(20261202);
  const X = [];
  const y = [];
  for (let c = 0; c < copies; c++) {
    base.XTrain.forEach((row, i) => {
      const r = row.slice();
      // Columns 1–3: tenure, MonthlyCharges, TotalCharges (standardised); column 0 is binary.
      for (let j = 1; j <= 3; j++) r[j] += rng.normal(0, 0.05);
      X.push(r);
      y.push(base.yTrain[i]);
    });
  }
  return { name: `Telco ×${copies}`, XTrain: X, yTrain: y, XTest: base.XTest, yTest: base.yTest };
}

/** Median of a list of numbers. */
export function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
