import { CrmError, numberOption, readOptions, type CrmPath, type OptionBag } from '@crm/core';
import { dialectSpec, type Dialect } from './dialect.ts';
import { finiteSql, SqlWriter, type SqlParam } from './query.ts';

/**
 * One SQL scalar expression for one dialect, with its bound parameters in the dialect's
 * placeholder style (numbered from `$1` for DuckDB and PostgreSQL, `?` for the others). Use it in
 * a `SELECT … FROM your_table` of your own, passing `params` to the driver; to score a table in
 * one statement (and compose transformer and model), use {@link scoreSql}.
 *
 * @example
 * ```ts
 * import { logisticRegressionSql } from '@crm/sql';
 * const e = logisticRegressionSql(
 *   { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.5], intercept: -1 },
 *   { features: ['tenure'] },
 * );
 * e.dialect; // → 'duckdb'
 * e.params;  // → []
 * ```
 */
export interface SqlExpression {
  /** The dialect the text is written in. */
  readonly dialect: Dialect;
  /** The expression text, with placeholders for the parameters. */
  readonly text: string;
  /** The values of the placeholders, in order. */
  readonly params: readonly SqlParam[];
}

/**
 * Default of `maxNodes`: tree nodes (over all trees) a compiled expression may hold. Each node is
 * about 30 characters of SQL, so the default is about 3 MB of text. Measured on a loaded 2-core
 * machine: 21,000 nodes (600 kB) take DuckDB 1.7 s to parse and bind and PostgreSQL 0.1 s (with
 * JIT off), 180,000 nodes take DuckDB about 50 s; a 500-tree forest of deep trees holds millions.
 */
export const DEFAULT_MAX_NODES = 100_000;

/**
 * Default of `maxDepth`: deepest tree compiled. Trees become nested CASE expressions; DuckDB's
 * parser stops at 1,000 nested expressions (its `max_expression_depth`), so about 990 tree levels,
 * and PostgreSQL's parser runs out of stack between 1,000 and 3,000 (measured).
 */
export const DEFAULT_MAX_DEPTH = 500;

/** The writer of one expression and the dialect option read. Internal. */
export function writerFor(dialect: unknown, path: CrmPath = ['options', 'dialect']): SqlWriter {
  return new SqlWriter(dialectSpec(dialect, path));
}

/** Finishes an expression. Internal. */
export function finishExpression(w: SqlWriter, marked: string): SqlExpression {
  const q = w.finish(marked, []);
  return Object.freeze({ dialect: q.dialect, text: q.text, params: q.params });
}


/**
 * `expr` when every input is finite, else NULL. predictProba refuses rows with non-finite or
 * missing values; per row, SQL answers NULL. Internal.
 */
export function guardFinite(inputs: readonly string[], expr: string): string {
  return `CASE WHEN ${[...new Set(inputs)].map(finiteSql).join(' AND ')} THEN ${expr} END`;
}

/** Reads the feature column names (one per model input), quoted and cast to double. Internal. */
export function featureColumns(w: SqlWriter, value: unknown, n: number, path: CrmPath, qualifier = ''): string[] {
  if (!Array.isArray(value)) {
    throw new CrmError('invalid_argument', `features must be an array of ${n} column names, in the model's feature order`, path);
  }
  if (value.length !== n) {
    throw new CrmError('invalid_argument', `the model has ${n} features but ${value.length} column names were given`, path);
  }
  return Array.from({ length: n }, (_, j) => `CAST(${qualifier}${w.ident(value[j] as unknown, [...path, j])} AS ${w.d.double})`);
}

/** Reads `maxNodes` and `maxDepth` of a tree compiler's options. Internal. */
export function treeLimits(o: OptionBag<string>): { maxNodes: number; maxDepth: number } {
  return {
    maxNodes: numberOption(o, 'maxNodes', DEFAULT_MAX_NODES, { min: 1, integer: true }),
    maxDepth: numberOption(o, 'maxDepth', DEFAULT_MAX_DEPTH, { min: 0, integer: true }),
  };
}

/** Reads an expression builder's options. Internal. */
export function expressionOptions<K extends string>(options: unknown, extra: readonly K[], where: string): OptionBag<'features' | 'dialect' | K> {
  return readOptions(options, ['features', 'dialect', ...extra], where);
}
