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
  calibrationHoldoutSql,
  churnLabelsSql,
  describeSql,
  purchasePatternsSql,
  spendGroupsSql,
  summarizeCustomersSql,
  type Dialect,
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
