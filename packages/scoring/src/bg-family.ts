import { CrmError, finiteResult, type CrmPath, type PurchaseHistory } from '@crm/core';
import type { FitReport } from './fit.ts';
import { fitLogParameters } from './fit.ts';
import { checkHistory, distinctSlots, readHistories, requireRepeatPurchases, startingScales } from './history.ts';
import { negativeBinomialTail } from './counts.ts';
import { digamma, lnHyp2f1Path, logBeta, logGamma } from './special.ts';

/** Parameter names of BG/NBD and MBG/NBD, in the order of the fitted vector. */
export const BG_FAMILY_NAMES: readonly string[] = ['r', 'alpha', 'a', 'b'];

/**
 * Maximum-likelihood fit shared by BG/NBD and MBG/NBD, whose likelihoods differ only in whether a
 * customer can drop out right after the first purchase (`modified`, Batislam et al. 2007):
 * ℓ = ln Γ(r+x) − ln Γ(r) + r ln α − (r+x) ln(α+T) + ln B(a, b+x+k)/B(a, b) + ln(1 + D),
 * D = a/(b+x+k−1)·((α+T)/(α+tₓ))^(r+x), with k = 1 for MBG/NBD and k = 0 for BG/NBD, where
 * the D term is present only when x > 0 (Hardie's note 027 log-sum-exp form). Analytic gradient.
 * Reads the histories (their weights times `weights[i]` when given) and returns (r, α, a, b) and
 * the report.
 */
export function fitBgFamily(
  customers: unknown,
  modified: boolean,
  penalizer: number,
  weights: Float64Array | undefined,
): { theta: number[]; report: FitReport } {
  const data = readHistories(customers, false, weights);
  requireRepeatPurchases(data, modified ? 'MBG/NBD' : 'BG/NBD');
  const shift = modified ? 1 : 0;
  const { x, tx, T, w } = data;
  const m = x.length;
  // Terms that depend on x only are computed once per distinct frequency.
  const { distinct, slot } = distinctSlots(x);
  const k = distinct.length;
  const lgR = new Float64Array(k);
  const dgR = new Float64Array(k);
  const lgB = new Float64Array(k);
  const dBa = new Float64Array(k);
  const dBb = new Float64Array(k);
  const logLikelihood = (theta: Float64Array, grad: Float64Array | undefined): number => {
    const r = theta[0] as number;
    const alpha = theta[1] as number;
    const a = theta[2] as number;
    const b = theta[3] as number;
    const lgr = logGamma(r);
    const lgab = logGamma(a + b) - logGamma(b);
    const dgr = grad ? digamma(r) : 0;
    const dgab = grad ? digamma(a + b) : 0;
    const dgb = grad ? digamma(b) : 0;
    for (let j = 0; j < k; j++) {
      const xv = distinct[j] as number;
      lgR[j] = logGamma(r + xv) - lgr;
      lgB[j] = logGamma(b + xv + shift) - logGamma(a + b + xv + shift) + lgab;
      if (grad) {
        const dabx = digamma(a + b + xv + shift);
        dgR[j] = digamma(r + xv) - dgr;
        dBa[j] = dgab - dabx;
        dBb[j] = digamma(b + xv + shift) - dabx - dgb + dgab;
      }
    }
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < m; i++) {
      const xi = x[i] as number;
      const wi = w[i] as number;
      const j = slot[i] as number;
      const aT = alpha + (T[i] as number);
      const lnAT = Math.log(aT);
      let term = (lgR[j] as number) + r * logAlpha - (r + xi) * lnAT + (lgB[j] as number);
      let s = 0;
      let lnRatio = 0;
      let aTx = 0;
      if (xi > 0 || modified) {
        aTx = alpha + (tx[i] as number);
        lnRatio = lnAT - Math.log(aTx);
        const lnD = logA - Math.log(b + xi - 1 + shift) + (r + xi) * lnRatio;
        if (lnD > 0) {
          const e = Math.exp(-lnD);
          term += lnD + Math.log1p(e);
          s = 1 / (1 + e);
        } else {
          const e = Math.exp(lnD);
          term += Math.log1p(e);
          s = e / (1 + e);
        }
      }
      ll += wi * term;
      if (grad) {
        gr += wi * ((dgR[j] as number) + logAlpha - lnAT + s * lnRatio);
        gAlpha += wi * (r / alpha - (r + xi) / aT + (s > 0 ? s * (r + xi) * (1 / aT - 1 / aTx) : 0));
        ga += wi * ((dBa[j] as number) + s / a);
        gb += wi * ((dBb[j] as number) - (s > 0 ? s / (b + xi - 1 + shift) : 0));
      }
    }
    if (grad) {
      grad[0] = gr * r;
      grad[1] = gAlpha * alpha;
      grad[2] = ga * a;
      grad[3] = gb * b;
    }
    return ll;
  };
  return fitLogParameters({
    names: BG_FAMILY_NAMES,
    // Start with r = 1 and the rate matching the observed repeat rate; a, b describe a moderate dropout.
    start: [1, startingScales(data).alpha, 1, 1],
    logLikelihood,
    analyticGradient: true,
    observations: data.total,
    penalizer,
    penaltyScale: [1, data.maxT > 0 ? data.maxT : 1, 1, 1],
  });
}

/** One customer's BG/NBD (`modified` false) or MBG/NBD log-likelihood, in the same stable form as the fit. */
export function bgFamilyLogLikelihood(
  params: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number },
  x: number,
  tx: number,
  T: number,
  modified: boolean,
): number {
  const { r, alpha, a, b } = params;
  const shift = modified ? 1 : 0;
  let ll =
    logGamma(r + x) - logGamma(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + T) +
    logGamma(b + x + shift) - logGamma(a + b + x + shift) + logGamma(a + b) - logGamma(b);
  if (x > 0 || modified) {
    const lnD = Math.log(a) - Math.log(b + x - 1 + shift) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
    ll += lnD > 0 ? lnD + Math.log1p(Math.exp(-lnD)) : Math.log1p(Math.exp(lnD));
  }
  return ll;
}

/**
 * E[X(tᵢ)] of BG/NBD (`modified` false; FHL 2005 eq. 10 without its P(alive) factor) or MBG/NBD
 * (Batislam et al. 2007, eqs. 8 and 10) at each of the non-decreasing `times`, for a customer with
 * x repeat purchases and age T; `newCustomer` gives the unconditional mean (x = T = 0). One ₂F₁
 * continuation serves every time, so the cost is O(times), not O(times²).
 *
 * @param at The path of time i, for errors.
 */
export function bgFamilyMeans(
  params: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number },
  x: number,
  T: number,
  times: ArrayLike<number>,
  modified: boolean,
  newCustomer: boolean,
  at: (i: number) => CrmPath,
): Float64Array {
  const { r, alpha, a, b } = params;
  const name = modified ? 'MBG/NBD' : 'BG/NBD';
  const A = r + x;
  const B = modified ? b + x + 1 : b + x;
  const C = modified ? a + b + x : a + b + x - 1;
  // C ≤ −1 cannot occur (a, b > 0); C = 0 (a + b = 1 for a new customer) and a = 1 are the
  // formula's removable singularities, which are not evaluated.
  if (!(C > -1) || C === 0 || a === 1) {
    throw new CrmError('invalid_argument', `the ${name} mean is not available in closed form for a = ${a}, b = ${b}`, ['params']);
  }
  const factor = (modified && newCustomer ? b : C) / (a - 1);
  const age = alpha + T;
  const n = times.length;
  const zs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    const z = t / (age + t);
    if (!(z < 1)) {
      throw new CrmError('non_finite_result', `t = ${t} is too long next to α + T = ${age} for double precision`, at(i));
    }
    zs[i] = z;
  }
  const lnH = new Float64Array(n);
  if (C < 0) return meansBelowZero(A, B, C, factor, age, times, zs, name, at);
  lnHyp2f1Path(A, B, C, zs, lnH);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    if (t === 0) continue;
    const h = lnH[i] as number;
    if (Number.isNaN(h)) {
      throw new CrmError('non_finite_result', `the hypergeometric function of the ${name} mean cannot be summed at t = ${t}`, at(i));
    }
    const lnPart = -A * Math.log1p(t / age) + h;
    // The mean is ≥ 0; for t near 0 the two factors' rounding can leave a −1e-17.
    const v = Math.max(0, factor * -Math.expm1(lnPart));
    out[i] = Number.isFinite(v) ? v : finiteResult(v, `the ${name} expected purchases at t = ${t}`, at(i));
  }
  return out;
}

/**
 * The BG/NBD mean of a customer without repeat purchases when a + b < 1, so that c = a + b − 1 lies
 * in (−1, 0) and the series of ₂F₁(A, B; c; z) has terms of both signs. Gauss's contiguous relation
 * (DLMF 15.5.18) with c′ = c + 1 > 0 gives it from two all-positive functions:
 * F(c′ − 1) = −[c′(c′ − 1 − (2c′ − A − B − 1)z)·F(c′) + (c′ − A)(c′ − B)z·F(c′ + 1)] / (c′(c′ − 1)(z − 1)).
 */
function meansBelowZero(
  A: number,
  B: number,
  C: number,
  factor: number,
  age: number,
  times: ArrayLike<number>,
  zs: Float64Array,
  name: string,
  at: (i: number) => CrmPath,
): Float64Array {
  const n = times.length;
  const c1 = C + 1;
  const ln1 = new Float64Array(n);
  const ln2 = new Float64Array(n);
  lnHyp2f1Path(A, B, c1, zs, ln1);
  lnHyp2f1Path(A, B, c1 + 1, zs, ln2);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    if (t === 0) continue;
    const z = zs[i] as number;
    const h1 = ln1[i] as number;
    const h2 = ln2[i] as number;
    if (Number.isNaN(h1) || Number.isNaN(h2)) {
      throw new CrmError('non_finite_result', `the hypergeometric function of the ${name} mean cannot be summed at t = ${t}`, at(i));
    }
    const g = -(c1 * (c1 - 1 - (2 * c1 - A - B - 1) * z) + (c1 - A) * (c1 - B) * z * Math.exp(h2 - h1)) / (c1 * (c1 - 1) * (z - 1));
    const part = Math.exp(-A * Math.log1p(t / age) + h1) * g;
    const v = Math.max(0, factor * (1 - part));
    out[i] = Number.isFinite(v) ? v : finiteResult(v, `the ${name} expected purchases at t = ${t}`, at(i));
  }
  return out;
}

/**
 * Expected purchases of BG/NBD or MBG/NBD at each of the non-decreasing `times` (checked by the
 * caller): the new-customer mean, or the mean given a history times P(alive). Both models'
 * `expectedPurchases` and `cumulativePurchases` are this one computation.
 */
export function bgFamilyExpected(
  params: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number },
  modified: boolean,
  times: ArrayLike<number>,
  customer: PurchaseHistory | undefined,
  probabilityAlive: (customer: PurchaseHistory) => number,
  at: (i: number) => CrmPath,
): number[] {
  if (customer === undefined) return Array.from(bgFamilyMeans(params, 0, 0, times, modified, true, at));
  const { x, T } = checkHistory(customer, ['customer']);
  const alive = probabilityAlive(customer);
  return Array.from(bgFamilyMeans(params, x, T, times, modified, false, at), (m, i) => {
    const v = m * alive;
    return Number.isFinite(v) ? v : finiteResult(v, 'the expected purchases', at(i));
  });
}

/**
 * P(X(t) = n) of a BG/NBD customer who is alive at the start of the t periods, with purchase rate
 * λ ~ Gamma(r, α) and dropout probability p ~ Beta(a, b) (FHL 2005 eq. 8): Poisson purchasing with
 * dropout after each purchase; clamped to [0, 1] against rounding. t > 0.
 */
export function bgNbdPmf(r: number, alpha: number, a: number, b: number, t: number, n: number): number {
  const lnB = logBeta(a, b);
  const lnP = Math.log(alpha / (alpha + t));
  const lnQ = Math.log(t / (alpha + t));
  const lnNbd = (j: number): number => logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * lnP + j * lnQ;
  let p = Math.exp(logBeta(a, b + n) - lnB + lnNbd(n));
  if (n > 0) p += Math.exp(logBeta(a + 1, b + n - 1) - lnB) * negativeBinomialTail(lnNbd, r, lnQ, n);
  return Math.min(1, Math.max(0, p));
}

/**
 * P(X(t) = n | x, tₓ, T) of BG/NBD (`modified` false) or MBG/NBD: purchases in (T, T + t] given the
 * history, with `alive` = P(alive at T | history). A customer who has left makes none; one who is
 * alive has, by Bayes, λ ~ Gamma(r + x, α + T) and p ~ Beta(a, b + x) (MBG/NBD: b + x + 1, since
 * the chance to drop out right after the first purchase was also survived) and from T on follows
 * the same Poisson-with-dropout process as a new BG/NBD customer, so
 * P = [n = 0](1 − alive) + alive · P_BG(X(t) = n; r + x, α + T, a, b + x (+1)).
 * This is the expression of Fader & Hardie's conditional-pmf derivations for the BG/NBD, written
 * through eq. 8 at the posterior parameters. t > 0; the caller checks n's cost.
 */
export function bgFamilyConditionalPmf(
  params: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number },
  modified: boolean,
  t: number,
  n: number,
  x: number,
  T: number,
  alive: number,
): number {
  const { r, alpha, a, b } = params;
  const p = alive * bgNbdPmf(r + x, alpha + T, a, b + x + (modified ? 1 : 0), t, n);
  return Math.min(1, Math.max(0, n === 0 ? 1 - alive + p : p));
}
