import { CrmError, readOptions, type CrmPath } from '@crm/core';
import { dialectSpec, type Dialect } from './dialect.ts';
import { readColumnsSource, type CustomerSummarySource } from './columns-source.ts';
import { finiteSql, SqlWriter, numberLiteral, type SqlQuery } from './query.ts';

/**
 * A fitted BG/NBD model as plain data: `BgNbd` itself, or its `toJSON()` (only `kind` and `params`
 * are read).
 *
 * @example
 * ```ts
 * import type { BgNbdParamsData } from '@crm/sql';
 * const model: BgNbdParamsData = { kind: 'crm.scoring.bg-nbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
 * ```
 */
export interface BgNbdParamsData {
  /** `'crm.scoring.bg-nbd'`. */
  readonly kind: string;
  /** The fitted parameters. */
  readonly params: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number };
}

/**
 * A fitted Gamma-Gamma model as plain data: `GammaGamma` itself, or its `toJSON()` (only `kind`
 * and `params` are read).
 *
 * @example
 * ```ts
 * import type { GammaGammaParamsData } from '@crm/sql';
 * const model: GammaGammaParamsData = { kind: 'crm.scoring.gamma-gamma', params: { p: 6.25, q: 3.74, gamma: 15.44 } };
 * ```
 */
export interface GammaGammaParamsData {
  /** `'crm.scoring.gamma-gamma'`. */
  readonly kind: string;
  /** The fitted parameters. */
  readonly params: { readonly p: number; readonly q: number; readonly gamma: number };
}

/**
 * Options of the closed-form score builders.
 *
 * @example
 * ```ts
 * import type { ClosedFormSqlOptions } from '@crm/sql';
 * const options: ClosedFormSqlOptions = { dialect: 'bigquery' };
 * ```
 */
export interface ClosedFormSqlOptions {
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

/** Reads `{ kind, params }` of a model or its JSON: positive finite parameters by name. */
function readParams<K extends string>(model: unknown, kind: string, names: readonly K[], label: string): { [P in K]: number } {
  if (model === null || typeof model !== 'object') throw new CrmError('invalid_argument', `model must be a fitted ${label} or its JSON`, ['model']);
  const m = model as { kind?: unknown; params?: unknown };
  if (m.kind !== kind) throw new CrmError('invalid_argument', `model must be of kind '${kind}', got ${JSON.stringify(m.kind) ?? String(m.kind)}`, ['model', 'kind']);
  const params = m.params;
  if (params === null || typeof params !== 'object') throw new CrmError('invalid_argument', `model.params must hold ${names.join(', ')}`, ['model', 'params']);
  const out = {} as { [P in K]: number };
  for (const name of names) {
    const v = (params as Record<string, unknown>)[name];
    const path: CrmPath = ['model', 'params', name];
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
      throw new CrmError('invalid_argument', `model.params.${name} must be a positive finite number, got ${String(v)}`, path);
    }
    out[name] = v;
  }
  return out;
}

/** exp(−x) with x clamped at 708, so PostgreSQL's EXP never underflows (an error there, not 0). */
const EXP_FLOOR = 708;

/**
 * BG/NBD P(alive) for every customer in pure SQL, no score table: 1 for frequency 0, else
 * 1 / (1 + a/(b + x − 1) · ((α + T)/(α + tₓ))^(r + x)) (Fader, Hardie & Lee 2005, eq. 12), written
 * with LN and EXP in the form `BgNbd.probabilityAlive` evaluates (through ln D, so large
 * frequencies cannot overflow a power). Every dialect has LN and EXP; the engine's LN and EXP may
 * differ from JavaScript's in the last bit, so values agree to about 1e-13 relative, not bit for
 * bit (use {@link purchaseScoreTableSql} for identical doubles). Where the value is below 1e-307
 * it is written as exp(−708)/(1 + exp(−708)) ≈ 3e-308 instead of underflowing. Rows with NULL or
 * non-finite inputs, or recency > T, give NULL. Result columns: `customerId`, `probabilityAlive`.
 *
 * @throws {CrmError} `invalid_argument` for a model of another kind or with bad parameters, a bad
 * source or option.
 * @example
 * ```ts
 * import { bgNbdProbabilityAliveSql } from '@crm/sql';
 * const model = { kind: 'crm.scoring.bg-nbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
 * const q = bgNbdProbabilityAliveSql(model, { table: 'customer_summaries' }, { dialect: 'postgres' });
 * q.columns; // → ['customerId', 'probabilityAlive']
 * ```
 */
export function bgNbdProbabilityAliveSql(model: BgNbdParamsData, summaries: CustomerSummarySource, options?: ClosedFormSqlOptions): SqlQuery {
  const o = readOptions(options, ['dialect'], 'bgNbdProbabilityAliveSql');
  const d = dialectSpec(o.dialect);
  const { r, alpha, a, b } = readParams(model, 'crm.scoring.bg-nbd', ['r', 'alpha', 'a', 'b'] as const, 'BgNbd');
  const s = readColumnsSource(summaries, ['customerId', 'frequency', 'recency', 'T'] as const, 'summary source', ['summaries']);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const lit = (x: number): string => `CAST(${numberLiteral(x)} AS ${d.double})`;
  const col = (n: string): string => `CAST(src.${q(n)} AS ${d.double})`;
  const x = col(s.columns.frequency);
  const tx = col(s.columns.recency);
  const T = col(s.columns.T);
  // ln D = ln(a/(b + x − 1)) + (r + x)(ln(α + T) − ln(α + tₓ)), as BgNbd computes it.
  const lnD = `LN(${lit(a)} / (${lit(b)} + x - ${lit(1)})) + (${lit(r)} + x) * (LN(${lit(alpha)} + t) - LN(${lit(alpha)} + tx))`;
  const inner = `SELECT src.${q(s.columns.customerId)} AS cid, ${x} AS x, ${tx} AS tx, ${T} AS t FROM ${s.from(w)} AS src`;
  const valid = `${finiteSql('x')} AND ${finiteSql('tx')} AND ${finiteSql('t')} AND x >= 0 AND tx >= 0 AND tx <= t`;
  const withLnD = `SELECT cid, x, CASE WHEN ${valid} AND x > 0 THEN ${lnD} END AS lnd, CASE WHEN ${valid} THEN 1 ELSE 0 END AS ok FROM (${inner}) AS c`;
  const p =
    `CASE WHEN ok = 0 THEN NULL WHEN x = 0 THEN ${lit(1)} ` +
    `WHEN lnd > 0 THEN EXP(-LEAST(lnd, ${lit(EXP_FLOOR)})) / (${lit(1)} + EXP(-LEAST(lnd, ${lit(EXP_FLOOR)}))) ` +
    `ELSE ${lit(1)} / (${lit(1)} + EXP(lnd)) END`;
  return w.finish(`SELECT cid AS ${q('customerId')}, ${p} AS ${q('probabilityAlive')} FROM (${withLnD}) AS l`, ['customerId', 'probabilityAlive']);
}

/**
 * Gamma-Gamma expected spend for every customer in pure SQL, no score table: the population mean
 * pγ/(q − 1) for frequency 0, else (γ/x + m̄)/(1 + (q − 1)/(p·x)), the arithmetic of
 * `GammaGamma.expectedSpend` step for step (pγ/(q − 1) and q − 1 are computed in TypeScript), so
 * with IEEE doubles the value is the same. Rows with NULL or non-finite inputs, a fractional or
 * negative frequency, or negative monetary for a repeat buyer (which `expectedSpend` refuses) give
 * NULL. Result columns: `customerId`, `expectedSpend`.
 *
 * @throws {CrmError} `invalid_argument` for a model of another kind or with bad parameters, a bad
 * source or option; `degenerate_data` when q ≤ 1 (no finite mean spend).
 * @example
 * ```ts
 * import { gammaGammaSpendSql } from '@crm/sql';
 * const model = { kind: 'crm.scoring.gamma-gamma', params: { p: 6.25, q: 3.74, gamma: 15.44 } };
 * const q = gammaGammaSpendSql(model, { table: 'customer_summaries' });
 * q.columns; // → ['customerId', 'expectedSpend']
 * ```
 */
export function gammaGammaSpendSql(model: GammaGammaParamsData, summaries: CustomerSummarySource, options?: ClosedFormSqlOptions): SqlQuery {
  const o = readOptions(options, ['dialect'], 'gammaGammaSpendSql');
  const d = dialectSpec(o.dialect);
  const { p, q: qParam, gamma } = readParams(model, 'crm.scoring.gamma-gamma', ['p', 'q', 'gamma'] as const, 'GammaGamma');
  if (!(qParam > 1)) {
    throw new CrmError('degenerate_data', `q = ${qParam} ≤ 1: the fitted spend distribution has no finite mean; refit with a penalizer`, ['model', 'params', 'q']);
  }
  const s = readColumnsSource(summaries, ['customerId', 'frequency', 'monetary'] as const, 'summary source', ['summaries']);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const col = (n: string): string => `CAST(src.${q(n)} AS ${d.double})`;
  const inner = `SELECT src.${q(s.columns.customerId)} AS cid, ${col(s.columns.frequency)} AS x, ${col(s.columns.monetary)} AS m FROM ${s.from(w)} AS src`;
  const value = gammaGammaSpendExpression(d.double, { p, q: qParam, gamma }, 'x', 'm');
  return w.finish(`SELECT cid AS ${q('customerId')}, ${value} AS ${q('expectedSpend')} FROM (${inner}) AS c`, ['customerId', 'expectedSpend']);
}

/** Reads a Gamma-Gamma model or its JSON for the closed form; internal. */
export function readGammaGamma(model: unknown): { p: number; q: number; gamma: number } {
  const params = readParams(model, 'crm.scoring.gamma-gamma', ['p', 'q', 'gamma'] as const, 'GammaGamma');
  if (!(params.q > 1)) {
    throw new CrmError('degenerate_data', `q = ${params.q} ≤ 1: the fitted spend distribution has no finite mean; refit with a penalizer`, ['model', 'params', 'q']);
  }
  return params;
}

/**
 * The Gamma-Gamma expected spend of double expressions `x` (frequency) and `m` (monetary), step for
 * step as `GammaGamma.expectedSpend`; NULL where it would refuse. Internal.
 */
export function gammaGammaSpendExpression(double: string, params: { p: number; q: number; gamma: number }, x: string, m: string): string {
  const { p, q, gamma } = params;
  const mean = (p * gamma) / (q - 1);
  if (!Number.isFinite(mean)) throw new CrmError('non_finite_result', 'the population mean spend is not finite', ['model', 'params']);
  const lit = (v: number): string => `CAST(${numberLiteral(v)} AS ${double})`;
  return (
    `CASE WHEN NOT (${finiteSql(x)}) OR ${x} < 0 OR ${x} <> FLOOR(${x}) THEN NULL WHEN ${x} = 0 THEN ${lit(mean)} ` +
    `WHEN NOT (${finiteSql(m)}) OR ${m} < 0 THEN NULL ` +
    `ELSE (${lit(gamma)} / ${x} + ${m}) / (${lit(1)} + ${lit(q - 1)} / (${lit(p)} * ${x})) END`
  );
}
