import { CrmError, enumOption, readOptions, type CrmPath } from '@crm/core';
import type { Explanation } from './explanation.ts';
import { unboundedOption, type Rows } from './internal/checks.ts';

/**
 * Options of {@link reasonCodes}.
 *
 * @example
 * ```ts
 * import type { ReasonCodeOptions } from '@crm/churn';
 * const options: ReasonCodeOptions = { featureNames: ['tenure', 'tickets'], top: 3, direction: 'increasing' };
 * ```
 */
export interface ReasonCodeOptions {
  /** Name of each feature, in column order (default `feature_0`, `feature_1`, … as scikit-learn's `export_text`). */
  readonly featureNames?: readonly string[];
  /** Most reasons per row (default 3; `Infinity` for every feature that contributes). */
  readonly top?: number;
  /**
   * Which reasons: `'increasing'` (default) those that raise the output (the risk of churn when
   * the model scores churn), `'decreasing'` those that lower it, `'both'` the largest in absolute value.
   */
  readonly direction?: 'increasing' | 'decreasing' | 'both';
}

/**
 * One reason: a feature, the row's value of it and how much it moved the output from the base.
 *
 * @example
 * ```ts
 * import type { ReasonCode } from '@crm/churn';
 * const reason: ReasonCode = { feature: 0, name: 'daysSinceLastPurchase', value: 94, contribution: 0.21 };
 * ```
 */
export interface ReasonCode {
  /** Column index of the feature. */
  readonly feature: number;
  /** Its name (from `featureNames`). */
  readonly name: string;
  /** The row's value of the feature; `null` where it is missing (NaN in X). */
  readonly value: number | null;
  /** Its contribution to the output, on the explanation's scale (probability or log-odds). */
  readonly contribution: number;
}

const OPTION_KEYS = ['featureNames', 'top', 'direction'] as const;
const DEFAULT_TOP = 3;

/**
 * Turns an {@link Explanation} into ranked reason codes per row, for a UI that shows why a
 * customer got their score ("tenure 2 months +0.18, contract month-to-month +0.12, …"). Only
 * features that moved the output in the asked direction are listed (a zero contribution is no
 * reason), largest first; ties keep column order. O(rows · p log p).
 *
 * @throws {CrmError} `invalid_argument` for a malformed explanation or bad options; `invalid_input`
 * when `X` does not match the explanation (row count, column count, non-numbers), with the path.
 * @example
 * ```ts
 * import { LogisticRegression, reasonCodes } from '@crm/churn';
 * const X = [[1, 0], [2, 3], [3, 1], [4, 4], [5, 2], [6, 5]];
 * const model = LogisticRegression.fit(X, [1, 1, 0, 1, 0, 0]);
 * const rows = [[1, 4]];
 * reasonCodes(model.explain(rows), rows, { featureNames: ['tenure', 'tickets'], top: 2 });
 * // [[{ feature: 0, name: 'tenure', value: 1, contribution: … }, …]]
 * ```
 */
export function reasonCodes(explanation: Explanation, X: Rows, options?: ReasonCodeOptions): ReasonCode[][] {
  const contributions = checkExplanation(explanation);
  const n = contributions.length;
  const p = n === 0 ? 0 : (contributions[0] as ArrayLike<number>).length;
  const o = readOptions(options, OPTION_KEYS, 'reasonCodes');
  const top = unboundedOption(o, 'top', DEFAULT_TOP, { min: 1, integer: true });
  const direction = enumOption(o, 'direction', 'increasing', ['increasing', 'decreasing', 'both']);
  const names = featureNames(o.featureNames, p);
  const rows = checkRows(X, n, p);
  const order: number[] = [];
  const out: ReasonCode[][] = [];
  for (let i = 0; i < n; i++) {
    const phi = contributions[i] as ArrayLike<number>;
    const row = rows[i] as ArrayLike<number>;
    order.length = 0;
    for (let j = 0; j < p; j++) {
      const c = phi[j] as number;
      if (direction === 'increasing' ? c > 0 : direction === 'decreasing' ? c < 0 : c !== 0) order.push(j);
    }
    // Array sort is stable: equal contributions keep column order.
    const key = direction === 'increasing' ? (j: number) => -(phi[j] as number) : direction === 'decreasing' ? (j: number) => phi[j] as number : (j: number) => -Math.abs(phi[j] as number);
    order.sort((a, b) => key(a) - key(b));
    const k = Math.min(order.length, top);
    const reasons: ReasonCode[] = [];
    for (let r = 0; r < k; r++) {
      const j = order[r] as number;
      const v = row[j] as number;
      reasons.push({ feature: j, name: names[j] as string, value: Number.isNaN(v) ? null : v, contribution: phi[j] as number });
    }
    out.push(reasons);
  }
  return out;
}

function checkExplanation(e: unknown): readonly ArrayLike<number>[] {
  if (e === null || typeof e !== 'object') {
    throw new CrmError('invalid_argument', 'reasonCodes: explanation must be the result of a model\'s explain(X)', ['explanation']);
  }
  const contributions = (e as { contributions?: unknown }).contributions;
  if (!Array.isArray(contributions)) {
    throw new CrmError('invalid_argument', 'reasonCodes: explanation.contributions must be an array with one array of contributions per row', ['explanation', 'contributions']);
  }
  let p = -1;
  for (let i = 0; i < contributions.length; i++) {
    const phi: unknown = contributions[i];
    const at: CrmPath = ['explanation', 'contributions', i];
    if (!isNumberArray(phi)) throw new CrmError('invalid_argument', `reasonCodes: explanation.contributions[${i}] is not an array of numbers`, at);
    if (p < 0) p = phi.length;
    if (phi.length !== p) throw new CrmError('invalid_argument', `reasonCodes: explanation.contributions[${i}] has ${phi.length} values, row 0 has ${p}`, at);
    for (let j = 0; j < p; j++) {
      if (typeof phi[j] !== 'number' || !Number.isFinite(phi[j])) {
        throw new CrmError('invalid_argument', `reasonCodes: explanation.contributions[${i}][${j}] is ${String(phi[j])}, not a finite number`, [...at, j]);
      }
    }
  }
  return contributions as ArrayLike<number>[];
}

function isNumberArray(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && typeof (v as { length?: unknown }).length === 'number');
}

function featureNames(given: unknown, p: number): readonly string[] {
  if (given === undefined) return Array.from({ length: p }, (_, j) => `feature_${j}`);
  if (!Array.isArray(given) || given.length !== p || !given.every((s) => typeof s === 'string')) {
    throw new CrmError('invalid_argument', `reasonCodes: options.featureNames must be ${p} strings, one per feature`, ['options', 'featureNames']);
  }
  return given as string[];
}

/** X row by row: its values are reported, not computed with, so NaN (a missing value) is kept. */
function checkRows(X: unknown, n: number, p: number): readonly ArrayLike<number>[] {
  if (!Array.isArray(X)) throw new CrmError('invalid_input', 'reasonCodes: X must be the array of rows that was explained', ['X']);
  if (X.length !== n) throw new CrmError('invalid_input', `reasonCodes: X has ${X.length} rows, the explanation ${n}`, ['X']);
  for (let i = 0; i < n; i++) {
    const row: unknown = X[i];
    if (!isNumberArray(row) || row.length !== p) throw new CrmError('invalid_input', `reasonCodes: X[${i}] must be ${p} numbers, as the explanation`, ['X', i]);
    for (let j = 0; j < p; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
        throw new CrmError('invalid_input', `reasonCodes: X[${i}][${j}] is ${String(v)}, not a number (NaN stands for missing)`, ['X', i, j]);
      }
    }
  }
  return X as ArrayLike<number>[];
}
