import { numberOption, readOptions } from '@crm/core';
import { labelsAndScores } from '../internal/checks.ts';

/** Probabilities are clipped to [ε, 1 − ε] so a confident mistake costs a large but finite loss. */
const DEFAULT_EPS = 1e-15;
/**
 * Smallest eps: numpy's float64 machine epsilon, which scikit-learn ≥ 1.5 clips with. Below about
 * half of it, 1 − eps rounds to 1 and a confident mistake would cost log(0) = −Infinity.
 */
const MIN_EPS = 2.220446049250313e-16;

/**
 * Mean negative log-likelihood (cross-entropy) of the labels under the predicted probabilities:
 * −mean(y·ln p + (1 − y)·ln(1 − p)), with p clipped to [eps, 1 − eps] (scikit-learn 1.2
 * `log_loss`, eps 1e-15). Lower is better; 0.693 is a coin flip. O(n).
 *
 * @param p probabilities of the positive class, each in [0, 1].
 * @param options `eps`: clipping (default 1e-15), a number in [2.22e-16, 0.5): below numpy's
 * float64 epsilon 1 − eps rounds to 1 and the loss could be infinite; from 0.5 on the clipping
 * interval is empty and the loss would no longer depend on p.
 * @throws {CrmError} `invalid_argument` at `['options', 'eps']` for an eps outside that range or an
 * unknown option; `invalid_labels` for labels that are not 0/1/boolean; `invalid_input` for a
 * probability outside [0, 1] or a length mismatch. One class only is allowed.
 * @example
 * ```ts
 * import { logLoss } from '@crm/churn';
 * logLoss([0, 1], [0.2, 0.9]); // (−ln 0.8 − ln 0.9) / 2 = 0.1643…
 * ```
 */
export function logLoss(y: ArrayLike<number | boolean>, p: ArrayLike<number>, options: { readonly eps?: number } = {}): number {
  // eps clips p to [eps, 1 − eps]; at 0.5 or more the interval is empty or one point and the
  // loss no longer depends on p.
  const eps = numberOption(readOptions(options, ['eps'], 'logLoss'), 'eps', DEFAULT_EPS, { min: MIN_EPS, max: 0.5, maxExclusive: true });
  const d = labelsAndScores(y, p, { allowOneClass: true, unit: true });
  let sum = 0;
  for (let i = 0; i < d.y.length; i++) {
    const q = Math.min(Math.max(d.p[i] as number, eps), 1 - eps);
    sum -= d.y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / d.y.length;
}
