// Every builder's SQL, for every dialect, parsed by an independent parser: sqlglot (Debian's
// python3-sqlglot, run by /usr/bin/python3 through sqlglot-parse.py). Spark, BigQuery and Snowflake
// are not executed anywhere in the tests, so this is their only check; DuckDB and PostgreSQL text is
// parsed too, as an extra check beside the engines that run it.
//
// sqlglot 10.6 (Debian bookworm) reads `?` as a placeholder in every dialect and `$1` in DuckDB and
// PostgreSQL; the negative controls below show it rejects broken text, so a pass means something.
//
// To check a new builder, add one entry to BUILDERS.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bgNbdProbabilityAliveSql,
  calibrationHoldoutSql,
  churnLabelsSql,
  customerScoresSql,
  decisionTreeSql,
  describeSql,
  featureTransformerSql,
  gammaGammaSpendSql,
  logisticRegressionSql,
  purchasePatternsSql,
  purchaseScoreTableSql,
  randomForestSql,
  gradientBoostingSql,
  rfmScoresSql,
  rfmSegmentsSql,
  scoreSql,
  spendGroupsSql,
  spendScoreTableSql,
  summarizeCustomersSql,
  type Dialect,
  type SqlExpression,
  type SqlQuery,
  type TimeType,
  type TransactionSource,
} from '../src/index.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./sqlglot-parse.py', import.meta.url));
const ALL: readonly Dialect[] = ['duckdb', 'postgres', 'spark', 'bigquery', 'snowflake'];
/** sqlglot's name of each dialect. */
const SQLGLOT: Readonly<Record<Dialect, string>> = { duckdb: 'duckdb', postgres: 'postgres', spark: 'spark', bigquery: 'bigquery', snowflake: 'snowflake' };

/**
 * Sources every builder is tried on: a plain table for each time type, a qualified table with names
 * that need quoting (spaces, a dot, a reserved word, non-ASCII), a subquery. Names holding the quote
 * character itself are left out here: sqlglot 10.6 splits `"a""b"` (and Spark's `a``b`) into two
 * tokens, a limit of that parser, not of the SQL; such names are executed on DuckDB and PostgreSQL
 * in schema.test.ts.
 */
const TIME_TYPES: readonly TimeType[] = ['timestamp', 'timestamptz', 'date', 'epochMs'];
function sources(): TransactionSource[] {
  return [
    ...TIME_TYPES.map((timeType) => ({ table: 'orders', timeType })),
    { table: ['sales eu', 'order.lines'], columns: { customerId: 'client id', time: 'select', amount: 'total €' } },
    { query: 'SELECT * FROM orders WHERE amount > 0', columns: { time: 'ts' } },
  ];
}

/** One builder: which dialects it writes, and the statements to check for a dialect (with what each is). */
interface Builder {
  readonly dialects: readonly Dialect[];
  readonly statements: (dialect: Dialect) => readonly (readonly [string, SqlQuery])[];
}

const PERIODS = ['day', 'week', 'month', 30] as const;

// Models for the compiled classifiers and score tables: small, but with every construct the
// compilers write (several features, a categorical level bound as a parameter, trees of depth 2).
const LOGISTIC = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.08, -0.3, 1.5], intercept: -1.2 } as const;
const TREE = { feature: [0, 1, -1, -1, -1], threshold: [1.5, 20, 0, 0, 0], left: [1, 2, -1, -1, -1], right: [4, 3, -1, -1, -1], value: [0.5, 0.2, 0, 1, 0.7] };
const DECISION_TREE = { kind: 'crm.churn.decision-tree', version: 1, nFeatures: 3, tree: TREE } as const;
const FOREST = { kind: 'crm.churn.random-forest', version: 1, nFeatures: 3, trees: [TREE, TREE] } as const;
// Boosted trees: raw leaf values, a missing-value side per node, and a threshold of null (every number left).
const BOOSTED_TREE = { ...TREE, threshold: [1.5, null, 0, 0, 0], value: [0, 0.1, -0.4, 0.2, 0.3], defaultLeft: [1, 0, 0, 0, 0] };
const BOOSTING = { kind: 'crm.churn.gradient-boosting', version: 1, nFeatures: 3, baseline: -1.1, trees: [BOOSTED_TREE, { ...BOOSTED_TREE, defaultLeft: [0, 1, 0, 0, 0] }] } as const;
const TRANSFORMER = {
  kind: 'crm.core.feature-transformer',
  version: 1,
  columns: [
    { name: 'tenure', type: 'numeric', center: 32, scale: 24, fill: 30 },
    { name: 'monthly charges', type: 'numeric', center: 0, scale: 1, fill: null },
    { name: 'plan', type: 'categorical', levels: ['basic'], unseen: 'ignore', fill: null },
  ],
} as const;
const FEATURES = ['tenure', 'monthly charges', 'select'];
const BG_NBD = { kind: 'crm.scoring.bg-nbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as const;
const GAMMA_GAMMA = { kind: 'crm.scoring.gamma-gamma', params: { p: 6.25, q: 3.74, gamma: 15.44 } } as const;
const PURCHASE_MODEL = { expectedPurchases: (t: number) => t / 10, probabilityAlive: () => 0.9 };
const PATTERNS = [{ frequency: 0, recency: 0, T: 38 }, { frequency: 2, recency: 30.43, T: 38.86 }];
const CLV = { dataPeriod: 'week', period: 'month', horizon: 3, discountRate: 0.01, margin: 0.3 } as const;
const SPEND_GROUPS = [{ frequency: 1, monetary: 20 }, { frequency: 3, monetary: 41.5 }];
const SEGMENT_MAP = { bins: 5, axes: 'rf', segments: [{ name: 'active', cells: ['[3-5][1-5]'] }, { name: 'lapsed', cells: ['[1-2][1-5]'] }] } as const;

/** A compiled expression in the statement a user writes around it. */
function selectExpression(dialect: Dialect, e: SqlExpression | readonly SqlExpression[]): SqlQuery {
  const list = Array.isArray(e) ? (e as readonly SqlExpression[]) : [e as SqlExpression];
  return { dialect, text: `SELECT ${list.map((x, i) => `${x.text} AS p${i}`).join(', ')} FROM customers`, params: list.flatMap((x) => x.params), columns: list.map((_, i) => `p${i}`) };
}

const RENAMED = { customerId: 'client id', frequency: 'select', recency: 'r', T: 'T weeks', monetary: 'avg €' } as const;

/**
 * Summary sources the scoring builders read: a table, a qualified table with renamed columns (only
 * the roles the builder reads: the closed forms refuse columns they do not use), a composed query.
 */
function summarySources(dialect: Dialect, roles: readonly (keyof typeof RENAMED)[] = ['customerId', 'frequency', 'recency', 'T', 'monetary']) {
  return [
    ['table', { table: 'summaries' }],
    ['renamed', { table: ['analytics', 'customer summaries'], columns: Object.fromEntries(roles.map((r) => [r, RENAMED[r]])) }],
    ['composed', { query: summarizeCustomersSql({ table: 'orders' }, { observationEnd: '1997-09-30', period: 'week', dialect }) }],
  ] as const;
}

/** Every builder of @crm/sql with representative options: one entry per builder. */
const BUILDERS: Readonly<Record<string, Builder>> = {
  summarizeCustomersSql: {
    dialects: ALL,
    statements: (dialect) =>
      sources().flatMap((source, i) =>
        PERIODS.flatMap((period) => {
          const q = summarizeCustomersSql(source, { observationEnd: '1997-09-30', period, dialect });
          return [[`source ${i}, period ${period}`, q], [`source ${i}, excluded`, q.excluded]] as const;
        }),
      ),
  },
  calibrationHoldoutSql: {
    dialects: ALL,
    statements: (dialect) =>
      sources().flatMap((source, i) =>
        PERIODS.map((period) => [`source ${i}, period ${period}`, calibrationHoldoutSql(source, { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period, dialect })] as const),
      ),
  },
  churnLabelsSql: {
    dialects: ALL,
    statements: (dialect) =>
      sources().map((source, i) => [`source ${i}`, churnLabelsSql(source, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', activeSince: '1997-03-01', dialect })] as const),
  },
  purchasePatternsSql: {
    dialects: ALL,
    statements: (dialect) => [
      ['table', purchasePatternsSql({ table: 'summaries', columns: { T: 'T weeks' } }, { dialect })],
      ['composed', purchasePatternsSql({ query: summarizeCustomersSql({ table: 'orders' }, { observationEnd: '1997-09-30', period: 'week', dialect }) }, { dialect })],
    ],
  },
  spendGroupsSql: {
    dialects: ALL,
    statements: (dialect) => [
      ['table', spendGroupsSql({ table: ['analytics', 'summaries'] }, { dialect })],
      ['composed', spendGroupsSql({ query: summarizeCustomersSql({ table: 'orders' }, { observationEnd: '1997-09-30', dialect }) }, { dialect })],
    ],
  },
  describeSql: {
    // The warehouses are refused by describeSql (their own DESCRIBE is the tool there). DuckDB's
    // `FROM (DESCRIBE SELECT …)` is DuckDB-only syntax sqlglot 10.6 does not know; it runs in schema.test.ts.
    dialects: ['postgres'],
    statements: (dialect) => [
      ['table', describeSql({ table: 'orders' }, { dialect })],
      ['schema.table', describeSql({ table: 'sales.orders' }, { dialect })],
      ['catalog.schema.table', describeSql({ table: ['db', 'sales', 'orders'] }, { dialect })],
      ['subquery', describeSql({ query: 'SELECT * FROM orders', columns: { time: 'ts' } }, { dialect })],
    ],
  },
  logisticRegressionSql: {
    dialects: ALL,
    statements: (dialect) => [['expression', selectExpression(dialect, logisticRegressionSql(LOGISTIC, { features: FEATURES, dialect }))]],
  },
  decisionTreeSql: {
    dialects: ALL,
    statements: (dialect) => [['expression', selectExpression(dialect, decisionTreeSql(DECISION_TREE, { features: FEATURES, dialect }))]],
  },
  randomForestSql: {
    dialects: ALL,
    statements: (dialect) => [['expression', selectExpression(dialect, randomForestSql(FOREST, { features: FEATURES, dialect }))]],
  },
  gradientBoostingSql: {
    dialects: ALL,
    statements: (dialect) => [['expression', selectExpression(dialect, gradientBoostingSql(BOOSTING, { features: FEATURES, dialect }))]],
  },
  featureTransformerSql: {
    dialects: ALL,
    statements: (dialect) => [['expressions', selectExpression(dialect, featureTransformerSql(TRANSFORMER, { dialect }))]],
  },
  scoreSql: {
    dialects: ALL,
    statements: (dialect) =>
      [['logistic', LOGISTIC], ['tree', DECISION_TREE], ['forest', FOREST], ['boosting', BOOSTING]].flatMap(([what, model]) => [
        [`${what}, features`, scoreSql({ table: ['crm', 'customers'] }, { model: model as typeof LOGISTIC, features: FEATURES, keep: ['customer id'], as: 'churn', dialect })],
        [`${what}, transformer`, scoreSql({ query: 'SELECT * FROM customers' }, { model: model as typeof LOGISTIC, transformer: TRANSFORMER, keep: ['customer_id'], dialect })],
      ] as const),
  },
  rfmScoresSql: {
    dialects: ALL,
    statements: (dialect) =>
      summarySources(dialect).flatMap(([what, source]) => [
        [`${what}, defaults`, rfmScoresSql(source, { dialect })],
        [`${what}, shared ties, weights`, rfmScoresSql(source, { bins: 4, ties: 'shared', weights: { r: 0.5, f: 0.3, m: 0.2 }, dialect })],
      ] as const),
  },
  rfmSegmentsSql: {
    dialects: ALL,
    statements: (dialect) => [
      ['table', rfmSegmentsSql({ table: 'rfm', columns: { customerId: 'client id' } }, SEGMENT_MAP, { dialect })],
      ['composed', rfmSegmentsSql({ query: rfmScoresSql({ table: 'summaries' }, { dialect }) }, SEGMENT_MAP, { dialect })],
    ],
  },
  purchaseScoreTableSql: {
    dialects: ALL,
    statements: (dialect) => {
      const plain = purchaseScoreTableSql(PURCHASE_MODEL, PATTERNS, { t: 52, dialect });
      const clv = purchaseScoreTableSql(PURCHASE_MODEL, PATTERNS, { t: 52, clv: CLV, table: 'analytics.pattern scores', replace: true, maxParams: 10, dialect });
      return [
        ...plain.statements.map((q, i) => [`plain, statement ${i}`, q] as const),
        ...clv.statements.map((q, i) => [`clv, statement ${i}`, q] as const),
      ];
    },
  },
  spendScoreTableSql: {
    dialects: ALL,
    statements: (dialect) =>
      spendScoreTableSql({ expectedSpend: (c) => (c && c.frequency > 0 ? c.monetary : 20) }, SPEND_GROUPS, { table: ['analytics', 'spend'], replace: true, maxParams: 10, dialect }).statements.map(
        (q, i) => [`statement ${i}`, q] as const,
      ),
  },
  customerScoresSql: {
    dialects: ALL,
    statements: (dialect) => {
      const purchase = purchaseScoreTableSql(PURCHASE_MODEL, PATTERNS, { t: 52, clv: CLV, dialect });
      const spend = spendScoreTableSql({ expectedSpend: () => 25 }, SPEND_GROUPS, { dialect });
      return summarySources(dialect).flatMap(([what, source]) => [
        [`${what}, purchase`, customerScoresSql(source, { purchase, dialect })],
        [`${what}, purchase and spend`, customerScoresSql(source, { purchase, spend, dialect })],
      ] as const);
    },
  },
  bgNbdProbabilityAliveSql: {
    dialects: ALL,
    statements: (dialect) => summarySources(dialect, ['customerId', 'frequency', 'recency', 'T']).map(([what, source]) => [what, bgNbdProbabilityAliveSql(BG_NBD, source, { dialect })] as const),
  },
  gammaGammaSpendSql: {
    dialects: ALL,
    statements: (dialect) => summarySources(dialect, ['customerId', 'frequency', 'monetary']).map(([what, source]) => [what, gammaGammaSpendSql(GAMMA_GAMMA, source, { dialect })] as const),
  },
};

interface ParseResult {
  readonly ok: boolean;
  readonly error: string | null;
}

/** Parses statements with sqlglot; undefined (with the reason) when sqlglot cannot be run. */
function parseAll(statements: readonly { dialect: string; text: string }[]): { version: string; results: ParseResult[] } | string {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(statements), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined || run.status !== 0) {
    return `sqlglot could not be run (${run.error?.message ?? run.stderr.trim().split('\n').pop()}): apt-get install python3-sqlglot`;
  }
  return JSON.parse(run.stdout) as { version: string; results: ParseResult[] };
}

const probe = parseAll([{ dialect: 'duckdb', text: 'SELECT 1' }]);
const unavailable = typeof probe === 'string' ? probe : undefined;
if (unavailable !== undefined && process.env.CI) {
  throw new Error(`${unavailable}; .ci/run installs it, and CI must parse the warehouse SQL`);
}
if (unavailable !== undefined) console.warn(`dialects.test.ts skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('every builder parses in every dialect it writes (sqlglot)', () => {
  it('the parser rejects broken SQL in each dialect (negative controls)', () => {
    const broken = ['SELECT FROM WHERE', 'SELECT CAST(? AS) FROM t', 'SELECT a FROM (SELECT b FROM t'];
    const statements = ALL.flatMap((d) => broken.map((text) => ({ dialect: SQLGLOT[d], text })));
    const parsed = parseAll(statements);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.results.map((r) => r.ok)).toEqual(statements.map(() => false));
  });

  for (const [name, builder] of Object.entries(BUILDERS)) {
    it(`${name}: ${builder.dialects.join(', ')}`, () => {
      const statements = builder.dialects.flatMap((dialect) =>
        builder.statements(dialect).map(([what, q]) => {
          expect(q.dialect).toBe(dialect);
          return { dialect: SQLGLOT[dialect], text: q.text, what: `${name} ${dialect} ${what}` };
        }),
      );
      expect(statements.length).toBeGreaterThan(0);
      const parsed = parseAll(statements);
      if (typeof parsed === 'string') throw new Error(parsed);
      const failures = parsed.results.flatMap((r, i) => (r.ok ? [] : [`${statements[i]!.what}: ${r.error}\n  ${statements[i]!.text}`]));
      expect(failures).toEqual([]);
    });
  }
});
