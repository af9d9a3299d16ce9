import { CrmError, readNumber, readNumberArray, type CrmPath } from '@crm/core';
import { expressionOptions, featureColumns, finishExpression, guardFinite, writerFor, type SqlExpression } from './compile-common.ts';
import { modelJson, readKind, type ModelInput } from './model-json.ts';
import { numberLiteral, type SqlWriter } from './query.ts';
import type { Dialect } from './dialect.ts';

/**
 * What {@link logisticRegressionSql} reads of a `LogisticRegression` of @crm/churn (its
 * `toJSON()`, format version 1 or 2); other fields are ignored.
 *
 * @example
 * ```ts
 * import type { LogisticRegressionJsonLike } from '@crm/sql';
 * const json: LogisticRegressionJsonLike = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.5, -2], intercept: 0.1 };
 * ```
 */
export interface LogisticRegressionJsonLike {
  readonly kind: 'crm.churn.logistic-regression';
  /** Format 1, or 2 (which adds what explanations need, ignored here). */
  readonly version: 1 | 2;
  /** One coefficient per feature. */
  readonly coefficients: readonly number[];
  /** The intercept. */
  readonly intercept: number;
}

/**
 * Options of {@link logisticRegressionSql}.
 *
 * @example
 * ```ts
 * import type { LogisticRegressionSqlOptions } from '@crm/sql';
 * const options: LogisticRegressionSqlOptions = { features: ['tenure', 'monthly_charges'], dialect: 'postgres' };
 * ```
 */
export interface LogisticRegressionSqlOptions {
  /** Column names of the features, in the model's feature order. */
  readonly features: readonly string[];
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

const KIND = 'crm.churn.logistic-regression';
/** Exponents are clamped here: e^±700 is a normal double, so EXP neither overflows nor underflows (PostgreSQL raises both). */
const EXP_CLAMP = 700;

/** The checked model. Internal. */
export interface LogisticModel {
  readonly coefficients: readonly number[];
  readonly intercept: number;
}

/** Reads and checks logistic-regression JSON at `path`. Internal. */
export function readLogistic(json: unknown, path: CrmPath): LogisticModel {
  const obj = readKind(json, [KIND], [1, 2], path);
  const coefficients = readNumberArray(obj, 'coefficients', path);
  if (coefficients.length === 0) throw new CrmError('invalid_json', 'coefficients is empty', [...path, 'coefficients']);
  return { coefficients, intercept: readNumber(obj, 'intercept', path) };
}

/**
 * The log-odds b + β₀x₀ + β₁x₁ + … in the order predictProba sums it (left to right from the
 * intercept), each product and sum in doubles (inputs are doubles; literals are exact doubles). Internal.
 */
export function logisticLinear(m: LogisticModel, inputs: readonly string[]): string {
  let z = numberLiteral(m.intercept);
  m.coefficients.forEach((b, j) => {
    z += ` + ${numberLiteral(b)} * ${inputs[j]!}`;
  });
  return z;
}

/**
 * The logistic sigmoid of `z` as predictProba computes it, 1 / (1 + e^−z) for z ≥ 0 and
 * e^z / (1 + e^z) below, with the exponent clamped to ±700 so EXP cannot overflow or underflow
 * (beyond ±700 the clamp changes the probability by less than 1e-300). NULL stays NULL. Internal.
 */
export function stableSigmoid(w: SqlWriter, z: string): string {
  const e = `EXP(-LEAST(ABS(${z}), ${EXP_CLAMP}))`;
  return `CAST(CASE WHEN ${z} >= 0 THEN 1 / (1 + ${e}) WHEN ${z} < 0 THEN ${e} / (1 + ${e}) END AS ${w.d.double})`;
}

/**
 * Compiles a fitted logistic regression (`LogisticRegression` of @crm/churn, or its JSON) to a SQL
 * expression of the feature columns giving its `predictProba`: equal within 1e-12 on DuckDB and
 * PostgreSQL (the linear term is summed in the same order in doubles; only EXP may differ from
 * the TypeScript exponential in the last bit). A row with a NULL, NaN or infinite feature, which
 * predictProba refuses, gives NULL. Coefficients are written as number literals (no parameters).
 * O(features) text.
 *
 * @example
 * ```ts
 * import { logisticRegressionSql } from '@crm/sql';
 * const model = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.5, -2], intercept: 0.1 } as const;
 * const p = logisticRegressionSql(model, { features: ['tenure', 'monthly_charges'], dialect: 'postgres' });
 * // SELECT customer_id, <p.text> AS churn_probability FROM customers
 * p.params; // → []
 * ```
 * @throws {CrmError} `invalid_json` (with a path) for JSON of another kind or version, or with
 * non-finite or missing values; `invalid_argument` for bad options or a feature list of the wrong length.
 */
export function logisticRegressionSql(model: ModelInput<LogisticRegressionJsonLike>, options: LogisticRegressionSqlOptions): SqlExpression {
  const o = expressionOptions(options, [], 'logisticRegressionSql');
  const w = writerFor(o.dialect);
  const m = readLogistic(modelJson(model, []), []);
  const inputs = featureColumns(w, o.features, m.coefficients.length, ['options', 'features']);
  return finishExpression(w, stableSigmoid(w, guardFinite(inputs, logisticLinear(m, inputs))));
}
