import { CrmError, finiteResult, type CrmPath } from '@crm/core';
import { fitLogParameters, penalizerOption, readPenalizerOptions, type FitReport } from './fit.ts';
import { fitMember, initMember, memberFromJSON, memberToJSON, type FamilySpec } from './family.ts';
import { checkArray, distinctSlots } from './history.ts';
import type { SpendHistory, SpendModel } from './roles.ts';
import { predictMany } from './many.ts';
import { digamma, logGamma } from './special.ts';

/**
 * Gamma-Gamma parameters: each transaction's value is Gamma(`p`, ν) around the customer's mean
 * p/ν, and ν varies across customers as Gamma(`q`, `gamma`). `gamma` is in money units;
 * lifetimes calls it `v`.
 *
 * @example
 * ```ts
 * import type { GammaGammaParams } from '@crm/scoring';
 * const published: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 }; // Fader & Hardie note 025, CDNOW
 * ```
 */
export interface GammaGammaParams {
  /** Shape of the gamma distribution of a transaction's value. */
  readonly p: number;
  /** Shape of the gamma distribution of ν across customers. */
  readonly q: number;
  /** Rate of the gamma distribution of ν across customers (money units; lifetimes' `v`). */
  readonly gamma: number;
}

/**
 * Options of {@link GammaGamma.fit}.
 *
 * @example
 * ```ts
 * import type { GammaGammaOptions } from '@crm/scoring';
 * const options: GammaGammaOptions = { penalizer: 0 };
 * ```
 */
export interface GammaGammaOptions {
  /**
   * L2 penalty λ·(p² + q² + (γ/mean spend)²) on the mean negative log-likelihood (γ in units of
   * the mean spend, so the penalty does not depend on the currency); 0 to 1e6, default 0.
   */
  readonly penalizer?: number | undefined;
}

/**
 * A repeat buyer's spend with an optional `weight` (number of customers sharing it).
 *
 * @example
 * ```ts
 * import type { WeightedSpend } from '@crm/scoring';
 * const row: WeightedSpend = { frequency: 3, monetary: 27.5, weight: 2 };
 * ```
 */
export interface WeightedSpend extends SpendHistory {
  /** Customers with this (frequency, monetary) (default 1). */
  readonly weight?: number | undefined;
}

/**
 * The plain-data form of a fitted {@link GammaGamma}.
 *
 * @example
 * ```ts
 * import type { GammaGammaJson } from '@crm/scoring';
 * const read = (json: GammaGammaJson) => json.params.q;
 * ```
 */
export interface GammaGammaJson {
  /** Model identifier. */
  readonly kind: 'crm.scoring.gamma-gamma';
  /** Format version of this JSON. */
  readonly version: 1;
  /** The options of the fit. */
  readonly options: Required<GammaGammaOptions>;
  /** The fitted parameters. */
  readonly params: GammaGammaParams;
  /** How the fit went. */
  readonly report: FitReport;
}

const KIND = 'crm.scoring.gamma-gamma';
const NAMES: readonly string[] = ['p', 'q', 'gamma'];

/**
 * Checks one spend row. `forFit` asks for positive spend of repeat buyers (the likelihood takes
 * ln m); predictions accept m ≥ 0, where the expected spend is still defined.
 */
function checkSpend(value: unknown, path: CrmPath, forFit: boolean): { x: number; m: number; w: number } {
  if (value === null || typeof value !== 'object') {
    throw new CrmError('invalid_input', `expected { frequency, monetary } at [${path.join('][')}]`, path);
  }
  const row = value as Readonly<Record<string, unknown>>;
  const read = (key: string): number => {
    const v = row[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new CrmError('invalid_input', `${key} must be a finite number, got ${String(v)} at [${path.join('][')}]`, [...path, key]);
    }
    return v;
  };
  const x = read('frequency');
  if (x < 0 || !Number.isInteger(x)) {
    throw new CrmError('invalid_summary', `frequency must be a whole number ≥ 0, got ${x} at [${path.join('][')}]`, [...path, 'frequency']);
  }
  const m = x > 0 ? read('monetary') : 0;
  if (x > 0 && !forFit && m < 0) {
    throw new CrmError(
      'invalid_summary',
      `monetary must be ≥ 0 for a repeat buyer, got ${m} at [${path.join('][')}]: a mean spend cannot be negative`,
      [...path, 'monetary'],
    );
  }
  if (x > 0 && forFit && !(m > 0)) {
    throw new CrmError(
      'invalid_summary',
      `monetary must be > 0 for a repeat buyer, got ${m} at [${path.join('][')}]: the Gamma-Gamma model needs positive spend (drop refunds-only customers first)`,
      [...path, 'monetary'],
    );
  }
  let w = 1;
  if (row.weight !== undefined) {
    w = read('weight');
    if (w < 0) throw new CrmError('invalid_input', `weight must be ≥ 0 at [${path.join('][')}]`, [...path, 'weight']);
  }
  return { x, m, w };
}

/**
 * Maximum-likelihood fit of Gamma-Gamma to the repeat buyers' spend (their weights times
 * `weights[i]` when given), with the analytic gradient; returns (p, q, γ) and the report.
 */
function fitGammaGamma(customers: unknown, penalizer: number, weights: Float64Array | undefined): { theta: number[]; report: FitReport } {
  const rows = checkArray(customers, 'customers');
  // Identical (frequency, monetary) rows merge (weights summed) into one canonical order, and sums
  // run in that order: the fit does not depend on row order, and the spend groups with counts a
  // database computes give the same fit as the full rows, bit for bit.
  const merged = new Map<string, { x: number; m: number; w: number }>();
  for (let i = 0; i < rows.length; i++) {
    const { x, m, w: own } = checkSpend(rows[i], [i], true);
    const w = weights === undefined ? own : own * (weights[i] as number);
    if (x === 0 || w === 0) continue;
    const key = `${x},${m}`;
    const at = merged.get(key);
    if (at === undefined) merged.set(key, { x, m, w });
    else at.w += w;
  }
  const groups = [...merged.values()].sort((a, b) => a.x - b.x || a.m - b.m);
  const xs = groups.map((g) => g.x);
  const ms = groups.map((g) => g.m);
  const logMs = ms.map((m) => Math.log(m));
  const ws = groups.map((g) => g.w);
  let total = 0;
  let spend = 0;
  for (const g of groups) {
    total += g.w;
    spend += g.w * g.m;
  }
  if (xs.length === 0) {
    throw new CrmError('degenerate_data', 'Gamma-Gamma needs repeat buyers (frequency > 0 with positive monetary); there are none', ['customers']);
  }
  const meanSpend = spend / total;
  const n = xs.length;
  const { distinct, slot } = distinctSlots(xs);
  const k = distinct.length;
  const lgPq = new Float64Array(k);
  const lgP = new Float64Array(k);
  const dgPq = new Float64Array(k);
  const dgP = new Float64Array(k);
  const logLikelihood = (theta: Float64Array, grad: Float64Array | undefined): number => {
    const p = theta[0] as number;
    const q = theta[1] as number;
    const g = theta[2] as number;
    for (let j = 0; j < k; j++) {
      const px = p * (distinct[j] as number);
      lgPq[j] = logGamma(px + q);
      lgP[j] = logGamma(px);
      if (grad) {
        dgPq[j] = digamma(px + q);
        dgP[j] = digamma(px);
      }
    }
    const lgq = logGamma(q);
    const dgq = grad ? digamma(q) : 0;
    const logG = Math.log(g);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const w = ws[i] as number;
      const j = slot[i] as number;
      const px = p * x;
      const lnM = logMs[i] as number;
      const lnX = Math.log(x);
      const denom = g + (ms[i] as number) * x;
      const lnDen = Math.log(denom);
      ll += w * ((lgPq[j] as number) - (lgP[j] as number) - lgq + q * logG + (px - 1) * lnM + px * lnX - (px + q) * lnDen);
      if (grad) {
        gp += w * x * ((dgPq[j] as number) - (dgP[j] as number) + lnM + lnX - lnDen);
        gq += w * ((dgPq[j] as number) - dgq + logG - lnDen);
        gg += w * (q / g - (px + q) / denom);
      }
    }
    if (grad) {
      grad[0] = gp * p;
      grad[1] = gq * q;
      grad[2] = gg * g;
    }
    return ll;
  };
  return fitLogParameters({
    names: NAMES,
    // p = q = 2 with γ matching the observed mean spend pγ/(q − 1).
    start: [2, 2, meanSpend / 2],
    logLikelihood,
    analyticGradient: true,
    observations: total,
    penalizer,
    penaltyScale: [1, 1, meanSpend],
  });
}

/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005 "RFM and CLV"; Fader & Hardie note 025):
 * the mean value of a customer's repeat transactions, shrunk towards the population mean the
 * fewer transactions it rests on. Fits by maximum likelihood on the repeat buyers (rows with
 * frequency 0 carry no spend information and are skipped; `report.observations` says how many
 * were used), with the analytic gradient. Assumes spend is independent of purchase frequency:
 * check that the correlation between `frequency` and `monetary` is near 0.
 *
 * @example
 * ```ts
 * import { GammaGamma } from '@crm/scoring';
 * const model = GammaGamma.fit([
 *   { frequency: 2, monetary: 22.35 }, { frequency: 1, monetary: 11.77 }, { frequency: 0, monetary: 0 },
 *   { frequency: 3, monetary: 41.2 }, { frequency: 1, monetary: 29.99 }, { frequency: 5, monetary: 18.5 },
 * ]);
 * model.params;                                            // { p, q, gamma }
 * model.expectedSpend({ frequency: 2, monetary: 22.35 });   // the customer's expected mean spend
 * ```
 * @throws {CrmError} `invalid_summary` for zero or negative spend of a repeat buyer in `fit` (predictions
 * accept zero spend) or a bad frequency, `invalid_input` for NaN or empty input, `degenerate_data`
 * without repeat buyers, `invalid_argument` for a bad or unknown option.
 * @see https://www.brucehardie.com/notes/025/
 */
export class GammaGamma implements SpendModel {
  /** Always `'crm.scoring.gamma-gamma'`. */
  readonly kind: 'crm.scoring.gamma-gamma' = KIND;
  /** Maximum-likelihood estimates. */
  declare readonly params: GammaGammaParams;
  /** How the fit went. */
  declare readonly report: FitReport;
  /** The options used, defaults filled in. */
  declare readonly options: Required<GammaGammaOptions>;

  private constructor(theta: ArrayLike<number>, report: FitReport, options: Required<GammaGammaOptions>) {
    initMember(this, GammaGamma.#spec, theta, report, options);
  }

  static #spec(): FamilySpec<GammaGamma, Required<GammaGammaOptions>> {
    return {
      kind: KIND,
      names: NAMES,
      make: (theta, report, options) => new GammaGamma(theta, report, options),
      fit: (customers, options, weights) => fitGammaGamma(customers, options.penalizer, weights),
      readOptions: readPenalizerOptions,
    };
  }


  /**
   * Fits the model to customers' repeat-purchase counts and mean repeat spend.
   *
   * @example
   * ```ts
   * import { GammaGamma } from '@crm/scoring';
   * const model = GammaGamma.fit([
   *   { frequency: 2, monetary: 22.35 }, { frequency: 1, monetary: 11.77 },
   *   { frequency: 3, monetary: 41.2 }, { frequency: 1, monetary: 29.99 }, { frequency: 5, monetary: 18.5 },
   * ]);
   * model.report.converged;
   * ```
   */
  static fit(customers: readonly WeightedSpend[], options?: GammaGammaOptions): GammaGamma {
    return fitMember(GammaGamma.#spec(), customers, { penalizer: penalizerOption(options, 'GammaGamma.fit') });
  }

  /**
   * Restores a model from {@link GammaGamma.toJSON} output, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything but a valid Gamma-Gamma model.
   * @example
   * ```ts
   * import { GammaGamma } from '@crm/scoring';
   * const model = GammaGamma.fromJSON({
   *   kind: 'crm.scoring.gamma-gamma', version: 1, options: { penalizer: 0 },
   *   params: { p: 6.25, q: 3.74, gamma: 15.44 },
   *   report: { converged: true, iterations: 0, logLikelihood: -4055.9, message: 'published', method: 'bfgs', observations: 946, standardErrors: null },
   * });
   * ```
   */
  static fromJSON(json: unknown): GammaGamma {
    return memberFromJSON(GammaGamma.#spec(), json);
  }

  /**
   * Expected mean transaction value: the population mean pγ/(q − 1) for a new customer (or one
   * without repeat purchases), otherwise (γ + m̄x)p/(px + q − 1), a weighted average of the
   * population mean and the customer's own mean m̄ (lifetimes' `conditional_expected_average_profit`).
   * Defined for m̄ = 0 too (a repeat buyer whose repeat orders were free): the result is then
   * shrunk towards the population mean, pγ/(px + q − 1); only the fit needs m̄ > 0.
   *
   * @throws {CrmError} `degenerate_data` when q ≤ 1 (the population mean spend is infinite),
   * `invalid_summary` for a negative `monetary` or a bad frequency, `non_finite_result` if the
   * value overflows double precision.
   * @example
   * ```ts
   * import { GammaGamma } from '@crm/scoring';
   * const model = GammaGamma.fromJSON({
   *   kind: 'crm.scoring.gamma-gamma', version: 1, options: { penalizer: 0 },
   *   params: { p: 6.25, q: 3.74, gamma: 15.44 },
   *   report: { converged: true, iterations: 0, logLikelihood: -4055.9, message: 'published', method: 'bfgs', observations: 946, standardErrors: null },
   * });
   * model.expectedSpend({ frequency: 2, monetary: 22.35 }); // ≈ 24.66
   * ```
   */
  expectedSpend(customer?: SpendHistory): number {
    const { p, q, gamma } = this.params;
    const { x, m } = customer === undefined ? { x: 0, m: 0 } : checkSpend(customer, ['customer'], false);
    if (!(q > 1)) {
      throw new CrmError(
        'degenerate_data',
        `q = ${q} ≤ 1: the fitted spend distribution has no finite mean; refit with a penalizer`,
        ['params', 'q'],
      );
    }
    // (γ + m̄x)p/(px + q − 1), divided through by px when x > 0 so that huge x or m̄ cannot overflow
    // an intermediate product.
    const value = x === 0 ? (p * gamma) / (q - 1) : (gamma / x + m) / (1 + (q - 1) / (p * x));
    return finiteResult(value, 'the expected spend', ['customer']);
  }

  /**
   * {@link GammaGamma.expectedSpend} given each customer's history, for many customers at once:
   * the same numbers bit for bit, at the same cost per customer, in a `Float64Array`.
   *
   * @throws {CrmError} as {@link GammaGamma.expectedSpend}, with the customer's path
   * `['customers', i, …]`; `invalid_argument` when `customers` is not an array.
   * @example
   * ```ts
   * import { GammaGamma } from '@crm/scoring';
   * const model = GammaGamma.fromJSON({
   *   kind: 'crm.scoring.gamma-gamma', version: 1, options: { penalizer: 0 },
   *   params: { p: 6.25, q: 3.74, gamma: 15.44 },
   *   report: { converged: true, iterations: 0, logLikelihood: -4055.9, message: 'published', method: 'bfgs', observations: 946, standardErrors: null },
   * });
   * model.expectedSpendMany([{ frequency: 2, monetary: 22.35 }, { frequency: 0, monetary: 0 }]);
   * ```
   */
  expectedSpendMany(customers: readonly SpendHistory[]): Float64Array {
    return predictMany(customers, (c: SpendHistory) => this.expectedSpend(c));
  }

  /**
   * Plain data for `JSON.stringify`; {@link GammaGamma.fromJSON} restores an identical model.
   *
   * @example
   * ```ts
   * import { GammaGamma } from '@crm/scoring';
   * const model = GammaGamma.fit([
   *   { frequency: 2, monetary: 22.35 }, { frequency: 1, monetary: 11.77 },
   *   { frequency: 3, monetary: 41.2 }, { frequency: 1, monetary: 29.99 }, { frequency: 5, monetary: 18.5 },
   * ]);
   * JSON.stringify(model.toJSON());
   * ```
   */
  toJSON(): GammaGammaJson {
    return memberToJSON(this) as GammaGammaJson;
  }
}
