// Compiled classifiers against predictProba: every model fitted in TypeScript, its SQL run on
// DuckDB and PostgreSQL over the same rows, every row's probability compared.
//
// Tolerance: 1e-12 absolute. Trees compare x <= threshold in doubles against literals that read
// back as the same doubles and return the leaf's value, and forests sum the trees in the same
// order before dividing, so both are exact in practice; logistic regression sums the log-odds in
// the same order, and only the engine's EXP may differ from the TypeScript exponential
// (core's portableExp) by a few ulps, which moves a probability by about 1e-16. 1e-12 leaves a
// thousandfold margin for that while catching any real difference (a wrong branch, a wrong
// scaling, a lost feature: all far above 1e-6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureTransformer, createRng, type FeatureSpec } from '@crm/core';
import { DecisionTree, GradientBoosting, LogisticRegression, RandomForest } from '@crm/churn';
import {
  DIALECT_NAMES,
} from '../src/dialect.ts';
import { boostedLogOdds, guardInfinite, readBoosting } from '../src/compile-boosting.ts';
import { featureColumns, writerFor } from '../src/compile-common.ts';
import {
  decisionTreeSql,
  featureTransformerSql,
  gradientBoostingSql,
  logisticRegressionSql,
  randomForestSql,
  scoreSql,
  type Dialect,
  type SqlQuery,
} from '../src/index.ts';
import { crmError } from '../../../test/crm-error.ts';
import { NUMERIC, loadTelco, pick } from '../../churn/test/telco.ts';
import { duckdb, postgres, type Engine } from './engines.ts';

const TOLERANCE = 1e-12;
const engines: Engine[] = [];

/** Quoted column name for the engines' CREATE TABLE (PostgreSQL folds unquoted names to lower case). */
const col = (name: string): string => `"${name.replaceAll('"', '""')}"`;

// ---------- data ----------

const telco = loadTelco();
const telcoColumns = [...NUMERIC, ...telco.categorical];
const telcoSpec: FeatureSpec = {
  columns: [
    ...NUMERIC.map((name) => ({ name, type: 'numeric' as const, scale: 'standard' as const })),
    ...telco.categorical.map((name) => ({ name, type: 'categorical' as const, unseen: 'ignore' as const })),
  ],
};
const telcoTrain = pick(telco.records, telco.train);
const telcoTf = FeatureTransformer.fit(telcoTrain, telcoSpec);
const telcoX = telcoTf.transform(telco.records);
const telcoXTrain = telcoTf.transform(telcoTrain);
const telcoYTrain = pick(telco.y, telco.train);

/** Generated numeric data: a feature name that needs quotes, one with a space, integer-valued ties. */
const GEN_FEATURES = ['x1', 'monthly "charges"', 'Tenure Months', 'x4'];
const gen = (() => {
  const rng = createRng(11);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 1500; i++) {
    const row = [rng.normal(), rng.normal(50, 20), rng.uniform() * 72, rng.int(0, 5)];
    const z = 0.8 * row[0]! + 0.03 * (row[1]! - 50) - 0.04 * (row[2]! - 36) + 0.3 * row[3]! - 0.5;
    X.push(row);
    y.push(rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { X, y };
})();
/** Rows predictProba refuses (NULL, NaN, ±Infinity), scored as NULL in SQL; ids after the generated rows. */
const BAD_ROWS: (number | null)[][] = [
  [null, 50, 10, 1],
  [0.1, Number.NaN, 10, 1],
  [0.1, 50, Number.POSITIVE_INFINITY, 1],
  [0.1, 50, 10, Number.NEGATIVE_INFINITY],
];

/** Deep tree data: random labels on two features, grown until pure. */
const deep = (() => {
  const rng = createRng(5);
  const X = Array.from({ length: 3000 }, () => [rng.uniform(), rng.uniform()]);
  const y = X.map(() => (rng.uniform() < 0.3 ? 1 : 0));
  return { X, y };
})();

/** Records for the pipeline: every kind of scaling, imputation and unseen-level rule. */
interface Rec {
  readonly age: number | null;
  readonly spend: number | null;
  readonly visits: number | null;
  readonly plan: string | null;
  readonly region: string | null;
  readonly channel: string | null;
}
const pipelineSpec: FeatureSpec = {
  columns: [
    { name: 'age', type: 'numeric', scale: 'standard', impute: 'median' },
    { name: 'spend', type: 'numeric', scale: 'minmax', impute: 'mean' },
    { name: 'visits', type: 'numeric', impute: 7 },
    { name: 'plan', type: 'categorical', impute: 'mode', unseen: 'ignore' },
    { name: 'region', type: 'categorical', impute: { value: 'north' }, unseen: 'error' },
    { name: 'channel', type: 'categorical', unseen: 'ignore' },
  ],
};
const pipe = (() => {
  const rng = createRng(23);
  const pickOf = <T,>(xs: readonly T[]): T => xs[rng.int(0, xs.length)]!;
  const train: Rec[] = [];
  const y: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const missing = (): boolean => rng.uniform() < 0.05;
    const age = missing() ? pickOf([null, Number.NaN]) : 18 + rng.uniform() * 60;
    const spend = missing() ? null : rng.uniform() * 500;
    const visits = missing() ? null : rng.int(0, 30);
    const plan = missing() ? pickOf([null, '', '   ']) : pickOf(['basic', 'plus', 'pro']);
    const region = missing() ? null : pickOf(['north', 'south', 'east']);
    const channel = pickOf(['web', 'store', 'phone']);
    train.push({ age, spend, visits, plan, region, channel });
    const z = -0.03 * ((age ?? 40) - 40) + 0.004 * ((spend ?? 250) - 250) + (plan === 'pro' ? 0.8 : 0) + (region === 'south' ? -0.5 : 0);
    y.push(rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  // Scored besides the training rows: an unseen plan (zeros), an unseen region (refused: NULL), a
  // missing channel without imputation (refused), an infinite age (refused), missing values imputed.
  const extra: Rec[] = [
    { age: 30, spend: 100, visits: 3, plan: 'enterprise', region: 'north', channel: 'web' },
    { age: 30, spend: 100, visits: 3, plan: 'basic', region: 'west', channel: 'web' },
    { age: 30, spend: 100, visits: 3, plan: 'basic', region: 'north', channel: null },
    { age: Number.POSITIVE_INFINITY, spend: 100, visits: 3, plan: 'basic', region: 'north', channel: 'web' },
    { age: null, spend: Number.NaN, visits: null, plan: '  ', region: '', channel: 'store' },
  ];
  return { train, y, all: [...train, ...extra] };
})();
const pipeTf = FeatureTransformer.fit(pipe.train, pipelineSpec);
const pipeXTrain = pipeTf.transform(pipe.train);

// ---------- engines ----------

beforeAll(async () => {
  engines.push(await duckdb());
  const pg = await postgres();
  if (typeof pg === 'string') console.warn(pg);
  else {
    // JIT-compiling a forest's expression takes longer than scoring it (see randomForestSql).
    await pg.exec('SET jit = off');
    engines.push(pg);
  }
  for (const e of engines) {
    await e.load(
      'telco',
      { id: 'INTEGER', ...Object.fromEntries(telcoColumns.map((c) => [col(c), (NUMERIC as readonly string[]).includes(c) ? e.dialect === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE' : 'VARCHAR'])) },
      telco.records.map((r, i) => [i, ...telcoColumns.map((c) => r[c])]),
    );
    const dbl = e.dialect === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE';
    await e.load(
      'gen',
      { id: 'INTEGER', ...Object.fromEntries(GEN_FEATURES.map((c) => [col(c), dbl])) },
      [...gen.X, ...BAD_ROWS].map((r, i) => [i, ...r]),
    );
    await e.load('deep', { id: 'INTEGER', a: dbl, b: dbl }, deep.X.map((r, i) => [i, ...r]));
    await e.load(
      'pipe',
      { id: 'INTEGER', age: dbl, spend: dbl, visits: dbl, plan: 'VARCHAR', region: 'VARCHAR', channel: 'VARCHAR' },
      pipe.all.map((r, i) => [i, r.age, r.spend, r.visits, r.plan, r.region, r.channel]),
    );
  }
}, 120_000);

afterAll(async () => {
  for (const e of engines) await e.close();
});

// ---------- helpers ----------

/** Probabilities by row id from a scoring query selecting `id` and `probability`. */
async function scored(e: Engine, q: SqlQuery | string, params: readonly (string | number | boolean | null)[] = []): Promise<(number | null)[]> {
  const rows = await e.run(q, params);
  const out: (number | null)[] = [];
  for (const r of rows) out[Number(r['id'])] = r['probability'] === null ? null : Number(r['probability']);
  return out;
}

/** Largest |SQL − TS| over all rows; a NULL where TS has a number (or the reverse) counts as Infinity. */
function maxDiff(sql: readonly (number | null | undefined)[], ts: readonly (number | null)[]): number {
  expect(sql.length).toBe(ts.length);
  let worst = 0;
  ts.forEach((want, i) => {
    const got = sql[i];
    if (want === null || got === null || got === undefined) {
      if (want !== got) worst = Infinity;
      return;
    }
    worst = Math.max(worst, Math.abs(got - want));
  });
  return worst;
}

/** predictProba row by row: null where TypeScript refuses the row. */
function tsPerRow(predict: (row: number[]) => number, rows: readonly (readonly (number | null)[])[]): (number | null)[] {
  return rows.map((r) => {
    if (r.some((v) => v === null || !Number.isFinite(v))) return null;
    return predict(r as number[]);
  });
}

const genModels = {
  logistic: LogisticRegression.fit(gen.X, gen.y),
  tree: DecisionTree.fit(gen.X, gen.y, { minSamplesLeaf: 3 }),
  forest: RandomForest.fit(gen.X, gen.y, { trees: 20, seed: 3, minSamplesLeaf: 2 }),
};
const genRows = [...gen.X, ...BAD_ROWS];

// ---------- tests ----------

describe('compiled classifiers on generated data (a quoted feature name, NULL/NaN/Infinity rows)', () => {
  for (const [name, model] of Object.entries(genModels)) {
    it(`scoreSql(${name}) equals predictProba on every row within 1e-12, NULL where predictProba refuses the row`, async () => {
      const want = tsPerRow((r) => model.predictProba([r])[0]!, genRows);
      expect(want.filter((p) => p === null)).toHaveLength(BAD_ROWS.length);
      for (const e of engines) {
        const q = scoreSql({ table: 'gen' }, { model, features: GEN_FEATURES, keep: ['id'], dialect: e.dialect });
        expect(q.columns).toEqual(['id', 'probability']);
        expect(maxDiff(await scored(e, q), want), e.dialect).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }

  it('the expression builders give the same probabilities in a SELECT of your own', async () => {
    const builders = {
      logistic: () => logisticRegressionSql(genModels.logistic, { features: GEN_FEATURES, dialect: 'duckdb' }),
      tree: () => decisionTreeSql(genModels.tree, { features: GEN_FEATURES }),
      forest: () => randomForestSql(genModels.forest, { features: GEN_FEATURES }),
    };
    for (const e of engines) {
      for (const [name, model] of Object.entries(genModels)) {
        const dialectBuilders = {
          logistic: () => logisticRegressionSql(genModels.logistic, { features: GEN_FEATURES, dialect: e.dialect }),
          tree: () => decisionTreeSql(genModels.tree, { features: GEN_FEATURES, dialect: e.dialect }),
          forest: () => randomForestSql(genModels.forest, { features: GEN_FEATURES, dialect: e.dialect }),
        };
        const expr = dialectBuilders[name as keyof typeof builders]();
        const want = tsPerRow((r) => model.predictProba([r])[0]!, genRows);
        const got = await scored(e, `SELECT id, ${expr.text} AS probability FROM gen`, expr.params);
        expect(maxDiff(got, want), `${name} on ${e.dialect}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
    expect(builders.logistic().text).toContain('"monthly ""charges"""');
  });

  it('trees and forests are exact: every probability is the same double as predictProba', async () => {
    for (const e of engines) {
      for (const model of [genModels.tree, genModels.forest]) {
        const got = await scored(e, scoreSql({ table: 'gen' }, { model, features: GEN_FEATURES, keep: ['id'], dialect: e.dialect }));
        const want = model.predictProba(gen.X);
        want.forEach((p, i) => {
          if (got[i] !== p) throw new Error(`${e.dialect}: row ${i}: ${got[i]} ≠ ${p}`);
        });
      }
    }
  });
});

describe('gradient boosting: missing values (NULL, NaN) routed as the trees learned, infinite ones refused', () => {
  // Trained with missing values, so every node has learned a side for them.
  const rng = createRng(31);
  const holed = gen.X.map((r) => r.map((v) => (rng.uniform() < 0.1 ? Number.NaN : v)));
  const boosted = GradientBoosting.fit(holed, gen.y, { maxIter: 40, seed: 5 });
  // The training rows scored too: a tenth of their values missing, half as NULL and half as NaN.
  const holedRows = holed.map((r, i) => r.map((v, j) => (Number.isNaN(v) && (i + j) % 2 === 0 ? null : v)));
  beforeAll(async () => {
    for (const e of engines) {
      const dbl = e.dialect === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE';
      await e.load('holed', { id: 'INTEGER', ...Object.fromEntries(GEN_FEATURES.map((c) => [col(c), dbl])) }, holedRows.map((r, i) => [i, ...r]));
    }
  });

  it('scores rows with missing values where the trees put them (1,500 rows, 10 % of values NULL or NaN)', async () => {
    const expected = Array.from(boosted.predictProba(holed));
    for (const e of engines) {
      const q = scoreSql({ table: 'holed' }, { model: boosted, features: GEN_FEATURES, keep: ['id'], dialect: e.dialect });
      expect(maxDiff(await scored(e, q), expected), e.dialect).toBeLessThanOrEqual(TOLERANCE);
    }
  });
  /** predictProba of a row, NULL and NaN as missing; null where predictProba refuses it (±Infinity). */
  const want = genRows.map((r) =>
    r.some((v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) ? null : boosted.predictProba([r.map((v) => v ?? Number.NaN)])[0]!,
  );

  it('scoreSql and gradientBoostingSql equal predictProba within 1e-12 on every row, the log-odds bit for bit', async () => {
    expect(want.filter((p) => p === null)).toHaveLength(2);
    const rawWant = genRows.map((r, i) => (want[i] === null ? null : boosted.decisionFunction([r.map((v) => v ?? Number.NaN)])[0]!));
    for (const e of engines) {
      const q = scoreSql({ table: 'gen' }, { model: boosted, features: GEN_FEATURES, keep: ['id'], dialect: e.dialect });
      expect(maxDiff(await scored(e, q), want), e.dialect).toBeLessThanOrEqual(TOLERANCE);
      const expr = gradientBoostingSql(boosted.toJSON(), { features: GEN_FEATURES, dialect: e.dialect });
      expect(maxDiff(await scored(e, `SELECT id, ${expr.text} AS probability FROM gen`, expr.params), want), e.dialect).toBeLessThanOrEqual(TOLERANCE);
      // The log-odds: the same sum in the same order, so the same double.
      const w = writerFor(e.dialect);
      const inputs = featureColumns(w, GEN_FEATURES, 4, ['features']);
      const z = w.finish(`SELECT id, ${guardInfinite(w, inputs, boostedLogOdds(w, readBoosting(boosted.toJSON(), []), inputs))} AS probability FROM gen`, ['id', 'probability']);
      const got = await scored(e, z);
      rawWant.forEach((z, i) => {
        if (got[i] !== z) throw new Error(`${e.dialect}: log-odds of row ${i}: ${got[i]} ≠ ${z}`);
      });
    }
  });

  it('a model with more nodes than maxNodes stops before any SQL is written', () => {
    expect(crmError(() => gradientBoostingSql(boosted, { features: GEN_FEATURES, maxNodes: 10 })).path).toEqual(['options', 'maxNodes']);
    expect(crmError(() => gradientBoostingSql({ ...boosted.toJSON(), baseline: Number.NaN } as never, { features: GEN_FEATURES })).path).toEqual(['baseline']);
    const json = boosted.toJSON();
    const bad = { ...json, trees: [{ ...json.trees[0]!, defaultLeft: json.trees[0]!.defaultLeft.map(() => 2) }] };
    expect(crmError(() => gradientBoostingSql(bad as never, { features: GEN_FEATURES })).path).toEqual(['trees', 0, 'defaultLeft', 0]);
  });
});

describe('Telco churn: FeatureTransformer (standard scaling, one-hot) then a classifier, as one query', () => {
  const models = {
    'LogisticRegression(C = 1)': LogisticRegression.fit(telcoXTrain, telcoYTrain, { C: 1 }),
    'DecisionTree(maxDepth 6)': DecisionTree.fit(telcoXTrain, telcoYTrain, { maxDepth: 6 }),
    'RandomForest(30 trees, maxDepth 10)': RandomForest.fit(telcoXTrain, telcoYTrain, { trees: 30, maxDepth: 10, seed: 42 }),
  };
  for (const [name, model] of Object.entries(models)) {
    it(`${name}: all 7,032 customers scored in SQL equal predictProba(transform(records)) within 1e-12`, async () => {
      const want = Array.from(model.predictProba(telcoX));
      for (const e of engines) {
        const q = scoreSql({ table: 'telco' }, { model, transformer: telcoTf, keep: ['id'], dialect: e.dialect });
        expect(maxDiff(await scored(e, q), want), e.dialect).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }

  it('the JSON of model and transformer, parsed from strings, compiles to the same SQL as the objects', () => {
    for (const model of Object.values(models)) {
      const a = scoreSql({ table: 'telco' }, { model, transformer: telcoTf, keep: ['id'] });
      const b = scoreSql({ table: 'telco' }, { model: JSON.parse(JSON.stringify(model)), transformer: JSON.parse(JSON.stringify(telcoTf)), keep: ['id'] });
      expect(b.text).toBe(a.text);
      expect(b.params).toEqual(a.params);
    }
    for (const [model, build] of [
      [genModels.logistic, logisticRegressionSql],
      [genModels.tree, decisionTreeSql],
      [genModels.forest, randomForestSql],
    ] as const) {
      const viaJson = (build as (m: unknown, o: unknown) => { text: string })(JSON.parse(JSON.stringify(model)), { features: GEN_FEATURES });
      expect(viaJson.text).toBe((build as (m: unknown, o: unknown) => { text: string })(model, { features: GEN_FEATURES }).text);
    }
  });
});

describe('pipeline with imputation: median, mean, constant, mode and level fills; unseen ignore and error', () => {
  const want = (predict: (X: number[][]) => ArrayLike<number>): (number | null)[] =>
    pipe.all.map((r) => {
      try {
        return predict(pipeTf.transform([r]))[0]!;
      } catch {
        return null; // transform refuses the row
      }
    });

  it('featureTransformerSql gives transform() bit for bit, NULL where transform refuses the row', async () => {
    const X = pipe.all.map((r) => {
      try {
        return pipeTf.transform([r])[0]!;
      } catch {
        return null;
      }
    });
    expect(X.filter((x) => x === null)).toHaveLength(3);
    for (const e of engines) {
      const features = featureTransformerSql(pipeTf, { dialect: e.dialect });
      expect(features.map((f) => f.name)).toEqual(pipeTf.featureNames);
      for (const [k, f] of features.entries()) {
        const rows = await e.run(`SELECT id, ${f.text} AS v FROM pipe`, f.params);
        const got: (number | null)[] = [];
        for (const r of rows) got[Number(r['id'])] = r['v'] === null ? null : Number(r['v']);
        X.forEach((x, i) => {
          if (x === null) return; // a refused row: one of its features is NULL (checked by the scores below)
          if (got[i] !== x[k]) throw new Error(`${e.dialect}: ${f.name} of row ${i}: ${got[i]} ≠ ${x[k]}`);
        });
      }
    }
  });

  for (const [name, fit] of [
    ['LogisticRegression', () => LogisticRegression.fit(pipeXTrain, pipe.y)],
    ['RandomForest', () => RandomForest.fit(pipeXTrain, pipe.y, { trees: 25, seed: 9, minSamplesLeaf: 3 })],
  ] as const) {
    it(`${name} behind the transformer: scoreSql equals transform + predictProba within 1e-12, NULL for refused rows`, async () => {
      const model = fit();
      const expected = want((X) => model.predictProba(X));
      expect(expected.filter((p) => p === null)).toHaveLength(3);
      for (const e of engines) {
        const q = scoreSql({ table: 'pipe' }, { model, transformer: pipeTf, keep: ['id'], dialect: e.dialect });
        expect(q.params.length).toBeGreaterThan(0); // levels and fills travel as parameters
        expect(maxDiff(await scored(e, q), expected), e.dialect).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }
});

describe('a deep tree', () => {
  it('a tree grown until pure on random labels (depth ≥ 25) compiles to nested CASE both engines run, exactly', async () => {
    const tree = DecisionTree.fit(deep.X, deep.y);
    expect(tree.depth).toBeGreaterThanOrEqual(25);
    const want = Array.from(tree.predictProba(deep.X));
    for (const e of engines) {
      const q = scoreSql({ table: 'deep' }, { model: tree, features: ['a', 'b'], keep: ['id'], dialect: e.dialect });
      expect(maxDiff(await scored(e, q), want), e.dialect).toBe(0);
    }
  });

  it('a chain 400 levels deep (one split per level) runs on both engines', async () => {
    // A hand-made JSON tree: node 2k tests x <= k + 0.5, its left child is a leaf, its right the next test.
    const levels = 400;
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    for (let k = 0; k < levels; k++) {
      const at = feature.length;
      feature.push(0, -1);
      threshold.push(k + 0.5, 0);
      left.push(at + 1, -1);
      right.push(at + 2, -1);
      value.push(0.5, (k % 7) / 7);
    }
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(1);
    const json = {
      kind: 'crm.churn.decision-tree',
      version: 1,
      options: { criterion: 'gini', maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, minImpurityDecrease: 0, classWeight: null },
      nFeatures: 1,
      featureImportances: [1],
      tree: { feature, threshold, left, right, value },
    } as const;
    const model = DecisionTree.fromJSON(json);
    // Values on a threshold (k + 0.5) go left, as predictProba sends them.
    const xs = [0, 0.5, 1, 17, 17.5, 199, 398, 399, 399.5, 400, 1000];
    const want = Array.from(model.predictProba(xs.map((x) => [x])));
    for (const e of engines) {
      const expr = decisionTreeSql(json, { features: ['x'], dialect: e.dialect });
      const rows = await e.run(`SELECT id, ${expr.text} AS probability FROM (SELECT * FROM (VALUES ${xs.map((x, i) => `(${i}, ${x})`).join(', ')}) AS v(id, x)) AS t`);
      const got: number[] = [];
      for (const r of rows) got[Number(r['id'])] = Number(r['probability']);
      expect(got, e.dialect).toEqual(want);
    }
    expect(crmError(() => decisionTreeSql(json, { features: ['x'], maxDepth: 100 })).path).toEqual(['options', 'maxDepth']);
  });
});

describe('the logistic sigmoid in SQL cannot overflow', () => {
  it('log-odds of ±1e4 (EXP would overflow or underflow on PostgreSQL) give 0 and 1 as predictProba does', async () => {
    const json = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [1e3, 0, 0, 0], intercept: 0, options: { C: 1, classWeight: null, fitIntercept: true, maxIterations: 100, tolerance: 1e-10, maxHessianEntries: 25e6 }, report: { converged: true, iterations: 1, objective: 1, gradientNorm: 0, warning: '' } } as const;
    const model = LogisticRegression.fromJSON(json);
    const want = tsPerRow((r) => model.predictProba([r])[0]!, genRows);
    for (const e of engines) {
      const got = await scored(e, scoreSql({ table: 'gen' }, { model: json, features: GEN_FEATURES, keep: ['id'], dialect: e.dialect }));
      expect(maxDiff(got, want), e.dialect).toBeLessThanOrEqual(TOLERANCE);
      expect(got.some((p) => p === 0) || got.some((p) => p !== null && p < 1e-300)).toBe(true);
    }
  });
});

describe('hostile model JSON is refused with invalid_json and a path, before any SQL is written', () => {
  const tree = genModels.tree.toJSON();
  const withTree = (edit: (t: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] }) => void): unknown => {
    const copy = JSON.parse(JSON.stringify(tree)) as typeof tree;
    edit(copy.tree as never);
    return copy;
  };

  it('a model of another kind or version', () => {
    const e = crmError(() => decisionTreeSql(genModels.logistic.toJSON() as never, { features: GEN_FEATURES }));
    expect([e.code, e.path]).toEqual(['invalid_json', ['kind']]);
    const v = crmError(() => decisionTreeSql({ ...tree, version: 3 } as never, { features: GEN_FEATURES }));
    expect([v.code, v.path]).toEqual(['invalid_json', ['version']]);
    const s = crmError(() => scoreSql({ table: 'gen' }, { model: { kind: 'crm.churn.neural-network', version: 1 } as never, features: GEN_FEATURES }));
    expect([s.code, s.path]).toEqual(['invalid_json', ['options', 'model', 'kind']]);
    const t = crmError(() => scoreSql({ table: 'gen' }, { model: genModels.logistic, transformer: tree as never }));
    expect([t.code, t.path]).toEqual(['invalid_json', ['options', 'transformer', 'kind']]);
  });

  it('a cyclic tree, a shared subtree, a child index out of range', () => {
    const cyclic = withTree((t) => {
      const leaf = t.feature.indexOf(-1);
      t.feature[leaf] = 0;
      t.left[leaf] = 0;
      t.right[leaf] = 1;
    });
    expect(crmError(() => decisionTreeSql(cyclic as never, { features: GEN_FEATURES })).code).toBe('invalid_json');
    const shared = withTree((t) => {
      t.right[0] = t.left[0]!;
    });
    expect(crmError(() => decisionTreeSql(shared as never, { features: GEN_FEATURES })).path).toEqual(['tree', 'left', 0]);
    const out = withTree((t) => {
      t.left[0] = t.value.length;
    });
    expect(crmError(() => decisionTreeSql(out as never, { features: GEN_FEATURES })).path).toEqual(['tree', 'left', 0]);
    const s = crmError(() => scoreSql({ table: 'gen' }, { model: out as never, features: GEN_FEATURES }));
    expect(s.path).toEqual(['options', 'model', 'tree', 'left', 0]);
  });

  it('a NaN threshold, a probability above 1, a feature index beyond nFeatures', () => {
    const nan = withTree((t) => {
      t.threshold[0] = Number.NaN;
    });
    expect(crmError(() => decisionTreeSql(nan as never, { features: GEN_FEATURES })).path).toEqual(['tree', 'threshold', 0]);
    const p = withTree((t) => {
      t.value[0] = 1.5;
    });
    expect(crmError(() => decisionTreeSql(p as never, { features: GEN_FEATURES })).path).toEqual(['tree', 'value', 0]);
    const f = withTree((t) => {
      t.feature[0] = 4;
    });
    expect(crmError(() => decisionTreeSql(f as never, { features: GEN_FEATURES })).path).toEqual(['tree', 'feature', 0]);
    const lr = { ...genModels.logistic.toJSON(), intercept: Number.POSITIVE_INFINITY };
    expect(crmError(() => logisticRegressionSql(lr as never, { features: GEN_FEATURES })).path).toEqual(['intercept']);
  });

  it('__proto__ keys are not read as the model: kind and values come from own properties only', () => {
    const text = JSON.stringify(genModels.logistic.toJSON()).replace('"kind"', '"__proto__":{"kind":"crm.churn.logistic-regression"},"kindx"');
    const json = JSON.parse(text) as unknown;
    const e = crmError(() => logisticRegressionSql(json as never, { features: GEN_FEATURES }));
    expect([e.code, e.path]).toEqual(['invalid_json', ['kind']]);
    expect(({} as Record<string, unknown>)['kind']).toBeUndefined();
    const forest = JSON.parse(JSON.stringify(genModels.forest.toJSON()).replace('"trees":[', '"__proto__":{"trees":[]},"treesx":[')) as unknown;
    expect(crmError(() => randomForestSql(forest as never, { features: GEN_FEATURES })).path).toEqual(['trees']);
  });

  it('a transformer with a bad column is refused at its path under options.transformer', () => {
    const json = JSON.parse(JSON.stringify(pipeTf)) as { columns: { scale?: number }[] };
    json.columns[0]!.scale = 0;
    const e = crmError(() => scoreSql({ table: 'pipe' }, { model: genModels.logistic, transformer: json as never }));
    expect([e.code, e.path]).toEqual(['invalid_json', ['options', 'transformer', 'columns', 0, 'scale']]);
  });
});

describe('options', () => {
  it('the feature list must match the model; a transformer replaces it; names are checked', () => {
    expect(crmError(() => logisticRegressionSql(genModels.logistic, { features: ['x1'] })).path).toEqual(['options', 'features']);
    expect(crmError(() => scoreSql({ table: 'pipe' }, { model: genModels.logistic, transformer: pipeTf })).path).toEqual(['options', 'transformer']);
    expect(crmError(() => scoreSql({ table: 'gen' }, { model: genModels.logistic, transformer: pipeTf, features: GEN_FEATURES })).path).toEqual(['options', 'features']);
    expect(crmError(() => scoreSql({ table: 'gen' }, { model: genModels.logistic, features: ['x1', 'a\u0000b', 'c', 'd'] })).path).toEqual(['options', 'features', 1]);
    expect(crmError(() => scoreSql({ table: 'gen' }, { model: genModels.logistic, features: GEN_FEATURES, keep: ['id'], as: 'id' })).path).toEqual(['options', 'as']);
    expect(crmError(() => scoreSql({ table: 'gen', query: 'SELECT 1' }, { model: genModels.logistic, features: GEN_FEATURES })).path).toEqual(['source']);
  });

  it('the cost guard: maxNodes and maxDepth stop a big model with limit_exceeded naming the option', () => {
    const nodes = genModels.forest.toJSON().trees.reduce((n, t) => n + t.value.length, 0);
    const e = crmError(() => randomForestSql(genModels.forest, { features: GEN_FEATURES, maxNodes: nodes - 1 }));
    expect([e.code, e.path]).toEqual(['limit_exceeded', ['options', 'maxNodes']]);
    expect(e.message).toContain('maxNodes');
    expect(() => randomForestSql(genModels.forest, { features: GEN_FEATURES, maxNodes: nodes })).not.toThrow();
    const s = crmError(() => scoreSql({ table: 'gen' }, { model: genModels.tree, features: GEN_FEATURES, maxDepth: 2 }));
    expect([s.code, s.path]).toEqual(['limit_exceeded', ['options', 'maxDepth']]);
  });

  it('a subquery built by @crm/sql or written by hand is a source', async () => {
    const inner = scoreSql({ table: 'gen' }, { model: genModels.tree, features: GEN_FEATURES, keep: ['id', 'x1'], as: 'p' });
    const q = scoreSql({ query: 'SELECT * FROM gen WHERE id < 100' }, { model: genModels.tree, features: GEN_FEATURES, keep: ['id'] });
    for (const e of engines.filter((x) => x.dialect === 'duckdb')) {
      expect((await e.run(q)).length).toBe(100);
      expect((await e.run(inner)).length).toBe(genRows.length);
    }
  });
});

describe('the TSDoc examples', () => {
  it('decisionTreeSql, featureTransformerSql and scoreSql give what their examples say', () => {
    const tree = {
      kind: 'crm.churn.decision-tree',
      version: 1,
      nFeatures: 1,
      tree: { feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0, 1] },
    } as const;
    expect(decisionTreeSql(tree, { features: ['tenure'] }).text).toBe(
      'CASE WHEN CAST("tenure" AS DOUBLE) BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308 THEN CAST(CASE WHEN CAST("tenure" AS DOUBLE) <= 1.5e+0 THEN 0 ELSE 1 END AS DOUBLE) END',
    );
    const tf = {
      kind: 'crm.core.feature-transformer',
      version: 1,
      columns: [{ name: 'plan', type: 'categorical', levels: ['basic', 'pro'], unseen: 'ignore', fill: null }],
    } as const;
    const features = featureTransformerSql(tf, { dialect: 'postgres' });
    expect(features.map((f) => f.name)).toEqual(['plan=basic', 'plan=pro']);
    expect(features[1]!.params).toEqual(['pro']);
    const model = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.08, -0.3], intercept: -1.2 } as const;
    const q = scoreSql({ table: 'customers' }, { model, features: ['tenure', 'monthly_charges'], keep: ['customer_id'], as: 'churn' });
    expect([q.columns, q.params]).toEqual([['customer_id', 'churn'], []]);
  });
});

describe('every dialect', () => {
  it.each(DIALECT_NAMES)('%s: every builder writes text with the dialect’s quoting and placeholders', (dialect: Dialect) => {
    const lr = logisticRegressionSql(genModels.logistic, { features: GEN_FEATURES, dialect });
    const dt = decisionTreeSql(genModels.tree, { features: GEN_FEATURES, dialect });
    const rf = randomForestSql(genModels.forest, { features: GEN_FEATURES, dialect });
    const tf = featureTransformerSql(pipeTf, { dialect });
    const q = scoreSql({ table: ['crm', 'customers'] }, { model: genModels.forest, transformer: undefined, features: GEN_FEATURES, keep: ['id'], dialect });
    const p = scoreSql({ table: 'pipe' }, { model: LogisticRegression.fit(pipeXTrain, pipe.y), transformer: pipeTf, keep: ['id'], dialect });
    for (const x of [lr, dt, rf, q, p, ...tf]) expect(x.dialect).toBe(dialect);
    const quoted = dialect === 'spark' || dialect === 'bigquery' ? '`monthly "charges"`' : '"monthly ""charges"""';
    expect(lr.text).toContain(quoted);
    const placeholder = dialect === 'duckdb' || dialect === 'postgres' ? '$1' : '?';
    expect(p.text).toContain(placeholder);
    expect(p.params).toContain('pro');
    // Every expression numbers its own parameters: `?` once per use, `$n` once per value.
    for (const x of [p, ...tf]) {
      const marks = x.text.match(/\$\d+|\?/g) ?? [];
      const count = placeholder === '?' ? marks.length : Math.max(0, ...marks.map((m) => Number(m.slice(1))));
      expect(count).toBe(x.params.length);
    }
  });
});
