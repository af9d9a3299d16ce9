import { checkCost, CrmError, finiteResult, isCrmError, numberOption, readOptions, type CrmPath } from '@crm/core';
import { gammaGammaSpendExpression, readGammaGamma, type GammaGammaParamsData } from './closed-forms.ts';
import { dialectSpec, type Dialect } from './dialect.ts';
import { readColumnsSource, tableParts, type CustomerSummarySource } from './columns-source.ts';
import { SqlWriter, numberLiteral, type SqlParam, type SqlQuery } from './query.ts';

/**
 * A customer history as the purchase models read it: repeat purchase periods, first to last
 * purchase, first purchase to the end of observation (the shape of `PurchaseHistory` in @crm/core).
 *
 * @example
 * ```ts
 * import type { PatternHistory } from '@crm/sql';
 * const h: PatternHistory = { frequency: 2, recency: 30.43, T: 38.86 };
 * ```
 */
export interface PatternHistory {
  /** Repeat purchase periods. */
  readonly frequency: number;
  /** Time from the first to the last purchase. */
  readonly recency: number;
  /** Time from the first purchase to the end of observation. */
  readonly T: number;
}

/**
 * What a score table needs of a fitted purchase model: the methods of the `PurchaseModel` role of
 * @crm/scoring (`BgNbd`, `ParetoNbd`, `ModifiedBgNbd` have them). Any object with these methods
 * serves; @crm/sql never loads the model's code.
 *
 * @example
 * ```ts
 * import type { PurchaseScorer } from '@crm/sql';
 * const constant: PurchaseScorer = { expectedPurchases: (t) => t / 10, probabilityAlive: () => 1 };
 * ```
 */
export interface PurchaseScorer {
  /** Expected purchases in the next `t` periods given the history. */
  expectedPurchases(t: number, customer?: PatternHistory): number;
  /** Probability that the customer is still active at T. */
  probabilityAlive(customer: PatternHistory): number;
  /** Optional: `expectedPurchases` at several non-decreasing times in one pass. */
  cumulativePurchases?(times: readonly number[], customer?: PatternHistory): number[];
}

/**
 * What a spend score table needs of a fitted spend model: the `expectedSpend` method of the
 * `SpendModel` role of @crm/scoring (`GammaGamma` has it).
 *
 * @example
 * ```ts
 * import type { SpendScorer } from '@crm/sql';
 * const flat: SpendScorer = { expectedSpend: () => 25 };
 * ```
 */
export interface SpendScorer {
  /** Expected mean transaction value, of a new customer when omitted, else given the history. */
  expectedSpend(customer?: { readonly frequency: number; readonly monetary: number }): number;
}

/**
 * A time unit for CLV horizons and discount rates, as in @crm/scoring: `'day'`, `'week'` (7 days),
 * `'month'` (365.25/12 days), `'year'` (365.25 days), or a number of days.
 *
 * @example
 * ```ts
 * import type { ClvTimeUnit } from '@crm/sql';
 * const unit: ClvTimeUnit = 'month';
 * ```
 */
export type ClvTimeUnit = 'day' | 'week' | 'month' | 'year' | number;

/**
 * The CLV part of {@link purchaseScoreTableSql}: the options of `customerLifetimeValue` in
 * @crm/scoring, with the same meaning.
 *
 * @example
 * ```ts
 * import type { ClvSqlOptions } from '@crm/sql';
 * const clv: ClvSqlOptions = { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01, margin: 0.3 };
 * ```
 */
export interface ClvSqlOptions {
  /** Time unit of `recency` and `T` in the data the purchase model was fitted on. */
  readonly dataPeriod: ClvTimeUnit;
  /** Time unit of `horizon` and `discountRate` (one discounting period). */
  readonly period: ClvTimeUnit;
  /** Number of periods to sum over (a whole number ≥ 1). */
  readonly horizon: number;
  /** Discount rate per period (0.01 = 1 %), > −1. */
  readonly discountRate: number;
  /** Profit margin applied to the expected spend (default 1: revenue). */
  readonly margin?: number | undefined;
}

/**
 * Options of {@link purchaseScoreTableSql}.
 *
 * @example
 * ```ts
 * import type { PurchaseScoreTableOptions } from '@crm/sql';
 * const options: PurchaseScoreTableOptions = {
 *   t: 52, table: 'pattern_scores', replace: true, dialect: 'postgres',
 *   clv: { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 },
 * };
 * ```
 */
export interface PurchaseScoreTableOptions {
  /** Horizon of `expectedPurchases`, in the data's time unit (required, ≥ 0). */
  readonly t: number;
  /** CLV settings; when given the table holds each pattern's discounted purchases for CLV. */
  readonly clv?: ClvSqlOptions | undefined;
  /** Name of the table to create (default `crm_pattern_scores`), schema-qualified with dots or as name parts. */
  readonly table?: string | readonly string[] | undefined;
  /** Drop the table first if it exists (default false). */
  readonly replace?: boolean | undefined;
  /** Most bound parameters per INSERT statement (default 10,000; at most 65,535, PostgreSQL's limit). */
  readonly maxParams?: number | undefined;
  /** Most model evaluations (patterns × (CLV horizon + 2)) before refusing with `limit_exceeded` (default 10,000,000). */
  readonly maxEvaluations?: number | undefined;
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

/**
 * Options of {@link spendScoreTableSql}.
 *
 * @example
 * ```ts
 * import type { SpendScoreTableOptions } from '@crm/sql';
 * const options: SpendScoreTableOptions = { table: 'spend_scores', dialect: 'postgres' };
 * ```
 */
export interface SpendScoreTableOptions {
  /** Name of the table to create (default `crm_spend_scores`). */
  readonly table?: string | readonly string[] | undefined;
  /** Drop the table first if it exists (default false). */
  readonly replace?: boolean | undefined;
  /** Most bound parameters per INSERT statement (default 10,000; at most 65,535). */
  readonly maxParams?: number | undefined;
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

/**
 * A score table to materialise: run `statements` in order (CREATE TABLE, then INSERTs of at most
 * `maxParams` bound parameters each), then pass the object to {@link customerScoresSql}. Plain
 * data: the scores themselves travel as the statements' parameters.
 *
 * @example
 * ```ts
 * import { spendScoreTableSql } from '@crm/sql';
 * const table = spendScoreTableSql({ expectedSpend: () => 25 }, [{ frequency: 1, monetary: 20 }]);
 * table.columns; // → ['frequency', 'monetary', 'expectedSpend']
 * table.rows;    // → 2
 * ```
 */
export interface ScoreTable {
  /** `'crm.sql.purchase-scores'` (per pattern) or `'crm.sql.spend-scores'` (per spend group). */
  readonly kind: 'crm.sql.purchase-scores' | 'crm.sql.spend-scores';
  /** The dialect of the statements. */
  readonly dialect: Dialect;
  /** The table's name parts. */
  readonly table: readonly string[];
  /** The table's columns. */
  readonly columns: readonly string[];
  /** Rows written. */
  readonly rows: number;
  /** The CLV margin (purchase tables made with `clv`), applied when the tables are joined. */
  readonly margin?: number | undefined;
  /** Statements to run in order. */
  readonly statements: readonly SqlQuery[];
}

/** Default of `maxParams`: far below PostgreSQL's 65,535 and warehouse limits on bound parameters. */
const DEFAULT_MAX_PARAMS = 10_000;
/** PostgreSQL's wire protocol counts parameters in 16 bits. */
const PG_MAX_PARAMS = 65_535;
/** As `customerLifetimeValue`: a few seconds of model evaluations. */
const DEFAULT_MAX_EVALUATIONS = 10_000_000;
const DAYS: Readonly<Record<string, number>> = { day: 1, week: 7, month: 365.25 / 12, year: 365.25 };

/** Length of a time unit in days, as @crm/scoring's `unitInDays` (same constants, same messages). */
function unitInDays(unit: unknown, name: string, path: CrmPath): number {
  if (typeof unit === 'string' && Object.hasOwn(DAYS, unit)) return DAYS[unit] as number;
  if (typeof unit === 'number' && Number.isFinite(unit) && unit > 0) return unit;
  throw new CrmError('invalid_argument', `${name} must be 'day', 'week', 'month', 'year' or a positive number of days, got ${JSON.stringify(unit) ?? String(unit)}`, path);
}

type ColumnType = 'bigint' | 'double';

/** CREATE TABLE (after an optional DROP) and chunked multi-row INSERTs with bound parameters. */
function tableStatements(
  dialect: Dialect,
  parts: readonly string[],
  columns: readonly (readonly [string, ColumnType])[],
  rows: readonly (readonly number[])[],
  replace: boolean,
  maxParams: number,
): SqlQuery[] {
  const d = dialectSpec(dialect);
  const name = parts.map((p) => d.quote(p)).join('.');
  const out: SqlQuery[] = [];
  const plain = (text: string): SqlQuery => new SqlWriter(d).finish(text, []);
  if (replace) out.push(plain(`DROP TABLE IF EXISTS ${name}`));
  out.push(plain(`CREATE TABLE ${name} (${columns.map(([c, t]) => `${d.quote(c)} ${d[t]}`).join(', ')})`));
  const perStatement = Math.max(1, Math.floor(maxParams / columns.length));
  const list = columns.map(([c]) => d.quote(c)).join(', ');
  for (let start = 0; start < rows.length; start += perStatement) {
    const w = new SqlWriter(d);
    const tuples = rows
      .slice(start, start + perStatement)
      .map((row) => `(${row.map((v, j) => w.param(v as SqlParam, (columns[j] as readonly [string, ColumnType])[1])).join(', ')})`);
    out.push(w.finish(`INSERT INTO ${name} (${list}) VALUES ${tuples.join(', ')}`, []));
  }
  return out;
}

function readTableOptions(o: Readonly<Record<string, unknown>>, fallback: string): { parts: string[]; replace: boolean; maxParams: number } {
  const parts = o.table === undefined ? [fallback] : tableParts(o.table, ['options', 'table']);
  if (o.replace !== undefined && typeof o.replace !== 'boolean') {
    throw new CrmError('invalid_argument', `option replace must be true or false, got ${JSON.stringify(o.replace) ?? String(o.replace)}`, ['options', 'replace']);
  }
  const maxParams = numberOption(o, 'maxParams', DEFAULT_MAX_PARAMS, { min: 10, max: PG_MAX_PARAMS, integer: true });
  return { parts, replace: o.replace === true, maxParams };
}

function checkRows(value: unknown, name: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new CrmError('invalid_argument', `${name} must be an array of rows`, [name]);
  return value;
}

function readNumber(row: unknown, key: string, path: CrmPath, whole: boolean): number {
  if (row === null || typeof row !== 'object') throw new CrmError('invalid_input', `expected a row object at [${path.join('][')}]`, path);
  const v = (row as Record<string, unknown>)[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new CrmError('invalid_input', `${key} must be a finite number, got ${String(v)} at [${path.join('][')}]`, [...path, key]);
  }
  if (whole && (v < 0 || !Number.isInteger(v))) {
    throw new CrmError('invalid_summary', `${key} must be a whole number ≥ 0, got ${v} at [${path.join('][')}]`, [...path, key]);
  }
  return v;
}

/** Calls a model method; a CrmError it raises about its `customer` argument is re-pathed to the row. */
function atRow<T>(path: CrmPath, run: () => T): T {
  try {
    return run();
  } catch (e) {
    const err = e as { name?: unknown; code?: unknown; path?: unknown; message?: unknown };
    if (err !== null && typeof err === 'object' && err.name === 'CrmError' && Array.isArray(err.path) && err.path[0] === 'customer') {
      throw new CrmError(err.code as ConstructorParameters<typeof CrmError>[0], String(err.message), [...path, ...(err.path as CrmPath).slice(1)]);
    }
    throw e;
  }
}

/**
 * A score table of a fitted purchase model (BG/NBD, Pareto/NBD, MBG/NBD, or any object with the
 * {@link PurchaseScorer} methods) over distinct purchase patterns, computed in TypeScript, to
 * join to every customer in SQL with {@link customerScoresSql}. `patterns` are the distinct
 * (frequency, recency, T) rows of the summary table (what `purchasePatternsSql` returns, read back
 * from the same database, so the doubles compare equal when joined; other fields such as `weight`
 * are ignored, duplicates are written once). Columns: `frequency` (BIGINT), `recency`, `T`,
 * `expectedPurchases` (in the next `t` periods), `probabilityAlive`, and with `clv` also
 * `discountedPurchases`: Σₖ (E[X(k·s)] − E[X((k−1)·s)]) / (1 + d)ᵏ, the factor
 * `customerLifetimeValue` multiplies by margin × expected spend, computed here by the same
 * arithmetic (same times, same discount factors, same order), so CLV in SQL is the same double.
 *
 * Why a table and chunked INSERTs rather than one VALUES subquery: patterns can number hundreds of
 * thousands on big data; bound parameters keep every value exact, and PostgreSQL allows at most
 * 65,535 per statement, so rows are written in INSERTs of at most `maxParams` parameters. Cost:
 * patterns × (horizon + 2) model evaluations in TypeScript, checked first against
 * `maxEvaluations`.
 *
 * @throws {CrmError} `invalid_argument` for a model without the methods, bad or unknown options,
 * a missing `t`; `invalid_input` / `invalid_summary` for a bad pattern (with its path);
 * `limit_exceeded` at `['options', 'maxEvaluations']`; `non_finite_result` when a model value is
 * not finite.
 * @example
 * ```ts
 * import { purchaseScoreTableSql } from '@crm/sql';
 * const model = { expectedPurchases: (t: number) => t / 10, probabilityAlive: () => 1 };
 * const table = purchaseScoreTableSql(model, [{ frequency: 2, recency: 30, T: 38 }], { t: 52 });
 * table.statements.length; // → 2
 * table.columns; // → ['frequency', 'recency', 'T', 'expectedPurchases', 'probabilityAlive']
 * ```
 */
export function purchaseScoreTableSql(model: PurchaseScorer, patterns: readonly PatternHistory[], options: PurchaseScoreTableOptions): ScoreTable {
  if (model === null || typeof model !== 'object' || typeof model.expectedPurchases !== 'function' || typeof model.probabilityAlive !== 'function') {
    throw new CrmError('invalid_argument', 'model must be a fitted purchase model (BgNbd, ParetoNbd, ModifiedBgNbd) with expectedPurchases and probabilityAlive', ['model']);
  }
  if (options === null || options === undefined) throw new CrmError('invalid_argument', 'options { t } are required', ['options']);
  const o = readOptions(options, ['t', 'clv', 'table', 'replace', 'maxParams', 'maxEvaluations', 'dialect'], 'purchaseScoreTableSql');
  const d = dialectSpec(o.dialect);
  if (o.t === undefined) throw new CrmError('invalid_argument', 'option t (the horizon of expectedPurchases, ≥ 0) is required', ['options', 't']);
  const t = numberOption(o, 't', 0, { min: 0 });
  const table = readTableOptions(o, 'crm_pattern_scores');
  const maxEvaluations = numberOption(o, 'maxEvaluations', DEFAULT_MAX_EVALUATIONS, { min: 1 });
  const clvOptions = o.clv === undefined ? undefined : readClv(o.clv);
  const rows = checkRows(patterns, 'patterns');
  const perPattern = (clvOptions?.horizon ?? 0) + 2;
  checkCost(rows.length * perPattern, maxEvaluations, 'maxEvaluations', `purchaseScoreTableSql over ${rows.length} patterns × ${perPattern} values`, 'purchase-model evaluations');
  const clv = clvOptions?.build();
  const curve = typeof model.cumulativePurchases === 'function' ? model.cumulativePurchases.bind(model) : undefined;
  const seen = new Set<string>();
  const out: number[][] = [];
  for (let i = 0; i < rows.length; i++) {
    const path = ['patterns', i];
    const row = rows[i];
    const frequency = readNumber(row, 'frequency', path, true);
    const recency = readNumber(row, 'recency', path, false);
    const T = readNumber(row, 'T', path, false);
    const key = `${frequency}|${recency}|${T}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const h: PatternHistory = { frequency, recency, T };
    const expected = finiteResult(atRow(path, () => model.expectedPurchases(t, h)), `expected purchases of pattern [${i}]`, path);
    const alive = finiteResult(atRow(path, () => model.probabilityAlive(h)), `P(alive) of pattern [${i}]`, path);
    const values = [frequency, recency, T, expected, alive];
    if (clv !== undefined) {
      const cumulative: unknown = atRow(path, () => (curve !== undefined ? curve(clv.times, h) : clv.times.map((x) => model.expectedPurchases(x, h))));
      if (!Array.isArray(cumulative) || cumulative.length !== clv.times.length) {
        throw new CrmError('invalid_argument', `model.cumulativePurchases must return one number per time (${clv.times.length})`, ['model']);
      }
      // The loop of customerLifetimeValue, operation for operation.
      let previous = 0;
      let value = 0;
      for (let k = 0; k < clv.times.length; k++) {
        const now = cumulative[k] as number;
        value += (now - previous) * (clv.discount[k] as number);
        previous = now;
      }
      values.push(finiteResult(value, `discounted purchases of pattern [${i}]`, path));
    }
    out.push(values);
  }
  const columns: [string, ColumnType][] = [
    ['frequency', 'bigint'],
    ['recency', 'double'],
    ['T', 'double'],
    ['expectedPurchases', 'double'],
    ['probabilityAlive', 'double'],
  ];
  if (clv !== undefined) columns.push(['discountedPurchases', 'double']);
  return Object.freeze({
    kind: 'crm.sql.purchase-scores' as const,
    dialect: d.name,
    table: Object.freeze(table.parts),
    columns: Object.freeze(columns.map(([c]) => c)),
    rows: out.length,
    ...(clv !== undefined ? { margin: clv.margin } : {}),
    statements: Object.freeze(tableStatements(d.name, table.parts, columns, out, table.replace, table.maxParams)),
  });
}

/** Reads the CLV options; the per-period arrays are built only after the cost check. */
function readClv(value: unknown): { horizon: number; build: () => { times: number[]; discount: number[]; margin: number } } {
  const o = readOptions(value, ['dataPeriod', 'period', 'horizon', 'discountRate', 'margin'], 'purchaseScoreTableSql options.clv', ['options', 'clv']);
  const step = unitInDays(o.period, 'period', ['options', 'clv', 'period']) / unitInDays(o.dataPeriod, 'dataPeriod', ['options', 'clv', 'dataPeriod']);
  if (o.horizon === undefined) throw new CrmError('invalid_argument', 'option clv.horizon is required (a whole number ≥ 1)', ['options', 'clv', 'horizon']);
  if (o.discountRate === undefined) throw new CrmError('invalid_argument', 'option clv.discountRate is required (a number > −1)', ['options', 'clv', 'discountRate']);
  const horizon = numberOption(o, 'horizon', 1, { min: 1, integer: true });
  const rate = numberOption(o, 'discountRate', 0, { min: -1, minExclusive: true });
  const margin = numberOption(o, 'margin', 1);
  // As customerLifetimeValue: (1 + d)^−k, and k·step so the last period lands on horizon·step.
  const build = (): { times: number[]; discount: number[]; margin: number } => ({
    times: Array.from({ length: horizon }, (_, k) => (k + 1) * step),
    discount: Array.from({ length: horizon }, (_, k) => (1 + rate) ** -(k + 1)),
    margin,
  });
  return { horizon, build };
}

/**
 * A score table of a fitted spend model (Gamma-Gamma, or any object with `expectedSpend`) over
 * the distinct (frequency, monetary) groups of the repeat buyers (what `spendGroupsSql` returns,
 * read back from the same database; `weight` is ignored, duplicates are written once, rows with
 * frequency 0 are left to the row below). One more row, frequency 0 and monetary 0, holds the
 * expected spend of a customer without repeat purchases (the population mean), which is what
 * `customerLifetimeValue` uses for them; {@link customerScoresSql} joins customers with frequency
 * 0 to it whatever their monetary. Columns: `frequency` (BIGINT), `monetary`, `expectedSpend`.
 *
 * @throws {CrmError} `invalid_argument` for a model without `expectedSpend` or bad options;
 * `invalid_input` / `invalid_summary` for a bad group (with its path); `non_finite_result`.
 * @example
 * ```ts
 * import { spendScoreTableSql } from '@crm/sql';
 * const table = spendScoreTableSql({ expectedSpend: (c) => (c && c.frequency > 0 ? c.monetary : 20) }, [{ frequency: 2, monetary: 30 }]);
 * table.rows; // → 2
 * ```
 */
export function spendScoreTableSql(model: SpendScorer, spendGroups: readonly { readonly frequency: number; readonly monetary: number }[], options?: SpendScoreTableOptions): ScoreTable {
  if (model === null || typeof model !== 'object' || typeof model.expectedSpend !== 'function') {
    throw new CrmError('invalid_argument', 'model must be a fitted spend model (GammaGamma) with expectedSpend', ['model']);
  }
  const o = readOptions(options, ['table', 'replace', 'maxParams', 'dialect'], 'spendScoreTableSql');
  const d = dialectSpec(o.dialect);
  const table = readTableOptions(o, 'crm_spend_scores');
  const rows = checkRows(spendGroups, 'spendGroups');
  const newcomer = { frequency: 0, monetary: 0 };
  const out: number[][] = [[0, 0, finiteResult(atRow(['spendGroups'], () => model.expectedSpend(newcomer)), 'the expected spend of a customer without repeat purchases', ['model'])]];
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const path = ['spendGroups', i];
    const frequency = readNumber(rows[i], 'frequency', path, true);
    if (frequency === 0) continue;
    const monetary = readNumber(rows[i], 'monetary', path, false);
    const key = `${frequency}|${monetary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spend = atRow(path, () => model.expectedSpend({ frequency, monetary }));
    out.push([frequency, monetary, finiteResult(spend, `expected spend of group [${i}]`, path)]);
  }
  const columns: [string, ColumnType][] = [
    ['frequency', 'bigint'],
    ['monetary', 'double'],
    ['expectedSpend', 'double'],
  ];
  return Object.freeze({
    kind: 'crm.sql.spend-scores' as const,
    dialect: d.name,
    table: Object.freeze(table.parts),
    columns: Object.freeze(columns.map(([c]) => c)),
    rows: out.length,
    statements: Object.freeze(tableStatements(d.name, table.parts, columns, out, table.replace, table.maxParams)),
  });
}

/**
 * Options of {@link customerScoresSql}.
 *
 * @example
 * ```ts
 * import { purchaseScoreTableSql, type CustomerScoresSqlOptions } from '@crm/sql';
 * const purchase = purchaseScoreTableSql({ expectedPurchases: () => 1, probabilityAlive: () => 1 }, [], { t: 52 });
 * const options: CustomerScoresSqlOptions = { purchase };
 * ```
 */
export interface CustomerScoresSqlOptions {
  /** The purchase score table ({@link purchaseScoreTableSql}), already materialised. */
  readonly purchase?: ScoreTable | undefined;
  /**
   * The spend score table ({@link spendScoreTableSql}), already materialised; or a fitted
   * Gamma-Gamma model (or its JSON), whose expected spend is then written in closed form (the
   * arithmetic of `expectedSpend`, so the same doubles), with no table and no join on monetary.
   * Prefer the model: a spend table is joined on exact monetary values, which match only when the
   * summaries are a stored table (two runs of a summary query may sum in different orders).
   */
  readonly spend?: ScoreTable | GammaGammaParamsData | undefined;
  /** SQL dialect (default: the tables' dialect, else `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

function readScoreTable(value: unknown, kind: ScoreTable['kind'], name: string): ScoreTable | undefined {
  if (value === undefined) return undefined;
  const path = ['options', name];
  const o = readOptions(value, ['kind', 'dialect', 'table', 'columns', 'rows', 'margin', 'statements'], `customerScoresSql options.${name}`, path);
  if (o.kind !== kind) throw new CrmError('invalid_argument', `options.${name} must be a score table of kind '${kind}', got ${JSON.stringify(o.kind) ?? String(o.kind)}`, [...path, 'kind']);
  const dialect = dialectSpec(o.dialect, [...path, 'dialect']).name;
  const table = tableParts(o.table, [...path, 'table']);
  if (!Array.isArray(o.columns) || !(o.columns as unknown[]).every((c) => typeof c === 'string')) {
    throw new CrmError('invalid_argument', `options.${name}.columns must be the table's column names`, [...path, 'columns']);
  }
  const margin = o.margin === undefined ? undefined : numberOption(o, 'margin', 1);
  return { kind, dialect, table, columns: o.columns as string[], rows: 0, margin, statements: [] };
}

/**
 * Every customer's model scores in SQL: the summaries joined to materialised score tables on
 * (frequency, recency, T) for the purchase model and (frequency, monetary) for the spend model,
 * with the same casts `purchasePatternsSql` and `spendGroupsSql` use, so the keys compare equal.
 * Result columns: `customerId`, then with a purchase table `expectedPurchases` and
 * `probabilityAlive`, with a spend table `expectedSpend`, and with both (the purchase table made
 * with `clv`) `clv` = margin × expectedSpend × discountedPurchases, multiplied in the order of
 * `customerLifetimeValue`, so it is the same double. Customers with frequency 0 get the spend
 * model's population mean, as `customerLifetimeValue` gives them. A LEFT JOIN: a customer whose
 * pattern is not in the table (tables made from other data) keeps its row with NULL scores.
 *
 * @throws {CrmError} `invalid_argument` for a bad source, options that are not score tables of
 * the right kind, tables of another dialect, or neither table given.
 * @example
 * ```ts
 * import { customerScoresSql, purchaseScoreTableSql, spendScoreTableSql } from '@crm/sql';
 * const purchase = purchaseScoreTableSql(
 *   { expectedPurchases: (t: number) => t / 10, probabilityAlive: () => 1 },
 *   [{ frequency: 2, recency: 30, T: 38 }],
 *   { t: 52, clv: { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 } },
 * );
 * const spend = spendScoreTableSql({ expectedSpend: () => 25 }, [{ frequency: 2, monetary: 30 }]);
 * const q = customerScoresSql({ table: 'customer_summaries' }, { purchase, spend });
 * q.columns; // → ['customerId', 'expectedPurchases', 'probabilityAlive', 'expectedSpend', 'clv']
 * ```
 */
export function customerScoresSql(summaries: CustomerSummarySource, options: CustomerScoresSqlOptions): SqlQuery {
  if (options === null || options === undefined) throw new CrmError('invalid_argument', 'options { purchase, spend } are required', ['options']);
  const o = readOptions(options, ['purchase', 'spend', 'dialect'], 'customerScoresSql');
  const purchase = readScoreTable(o.purchase, 'crm.sql.purchase-scores', 'purchase');
  // A Gamma-Gamma model (or its JSON) gives every customer its expected spend by the closed form:
  // no table, and no join on a monetary value that must match to the last bit.
  const spendModel = isGammaGamma(o.spend) ? atPath(['options', 'spend'], () => readGammaGamma(o.spend)) : undefined;
  const spend = spendModel === undefined ? readScoreTable(o.spend, 'crm.sql.spend-scores', 'spend') : undefined;
  if (purchase === undefined && spend === undefined && spendModel === undefined) throw new CrmError('invalid_argument', 'give a purchase score table, a spend score table, or both', ['options']);
  const d = dialectSpec(o.dialect ?? purchase?.dialect ?? spend?.dialect);
  for (const [name, t] of [['purchase', purchase], ['spend', spend]] as const) {
    if (t !== undefined && t.dialect !== d.name) {
      throw new CrmError('invalid_argument', `the ${name} score table is written for ${t.dialect}, not ${d.name}: build it with the same dialect`, ['options', name, 'dialect']);
    }
  }
  const s = readColumnsSource(summaries, ['customerId', 'frequency', 'recency', 'T', 'monetary'] as const, 'summary source', ['summaries']);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const src = (n: string): string => `s.${q(s.columns[n as keyof typeof s.columns])}`;
  const asDouble = (x: string): string => `CAST(${x} AS ${d.double})`;
  const frequency = `CAST(${src('frequency')} AS ${d.bigint})`;
  const select = [`${src('customerId')} AS ${q('customerId')}`];
  const columns = ['customerId'];
  const joins: string[] = [];
  if (purchase !== undefined) {
    select.push(`p.${q('expectedPurchases')} AS ${q('expectedPurchases')}`, `p.${q('probabilityAlive')} AS ${q('probabilityAlive')}`);
    columns.push('expectedPurchases', 'probabilityAlive');
    joins.push(
      `LEFT JOIN ${purchase.table.map(q).join('.')} AS p ON p.${q('frequency')} = ${frequency} ` +
        `AND p.${q('recency')} = ${asDouble(src('recency'))} AND p.${q('T')} = ${asDouble(src('T'))}`,
    );
  }
  if (spend !== undefined) {
    select.push(`g.${q('expectedSpend')} AS ${q('expectedSpend')}`);
    columns.push('expectedSpend');
    // Customers without repeat purchases meet the (0, 0) row whatever their monetary.
    joins.push(
      `LEFT JOIN ${spend.table.map(q).join('.')} AS g ON g.${q('frequency')} = ${frequency} ` +
        `AND g.${q('monetary')} = CASE WHEN ${frequency} = 0 THEN ${asDouble('0')} ELSE ${asDouble(src('monetary'))} END`,
    );
  }
  let spendValue = spend === undefined ? undefined : `g.${q('expectedSpend')}`;
  if (spendModel !== undefined) {
    spendValue = `(${gammaGammaSpendExpression(d.double, spendModel, asDouble(src('frequency')), asDouble(src('monetary')))})`;
    select.push(`${spendValue} AS ${q('expectedSpend')}`);
    columns.push('expectedSpend');
  }
  if (purchase !== undefined && spendValue !== undefined && purchase.columns.includes('discountedPurchases')) {
    // margin · spend · Σ…, left to right as in customerLifetimeValue.
    select.push(`${asDouble(numberLiteral(purchase.margin ?? 1))} * ${spendValue} * p.${q('discountedPurchases')} AS ${q('clv')}`);
    columns.push('clv');
  }
  return w.finish(`SELECT ${select.join(', ')} FROM ${s.from(w)} AS s ${joins.join(' ')}`, columns);
}

function isGammaGamma(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'crm.scoring.gamma-gamma';
}

/** Runs `fn`, moving the path of a CrmError it throws under `at`. */
function atPath<T>(at: readonly (string | number)[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isCrmError(e)) throw new CrmError(e.code, e.message, [...at, ...e.path.filter((p, i) => !(i === 0 && p === 'model'))]);
    throw e;
  }
}
