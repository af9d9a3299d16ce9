import { describe, expect, it } from 'vitest';
import { LogisticRegression } from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';

const logit = (p: number): number => Math.log(p / (1 - p));

// One binary feature: x = 0 has 3 churners in 10, x = 1 has 7 in 10. Without penalty the maximum
// likelihood fit reproduces both rates exactly: b = logit(0.3), β = logit(0.7) − logit(0.3).
const X2 = frozenRows([...Array.from({ length: 10 }, () => [0]), ...Array.from({ length: 10 }, () => [1])]);
const y2 = Object.freeze([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
// The solver stops when |gradient| / n < 1e-10; the parameter error is then at most that times the
// inverse of the smallest Hessian eigenvalue per row (≈ 0.04 here: p(1 − p) ≈ 0.21 at both levels,
// shared with the intercept), i.e. about 3e-9. 1e-8 covers it; Newton usually lands far closer.
const SOLVER_TOLERANCE = 1e-8;

describe('LogisticRegression', () => {
  it('fit(X, y, { C: Infinity }) reproduces the closed-form MLE of a 2×2 table', () => {
    const m = LogisticRegression.fit(X2, y2, { C: Infinity });
    expect(Math.abs(m.intercept - logit(0.3))).toBeLessThan(SOLVER_TOLERANCE);
    expect(Math.abs((m.coefficients[0] as number) - (logit(0.7) - logit(0.3)))).toBeLessThan(SOLVER_TOLERANCE);
    expect(m.report.converged).toBe(true);
    const p = m.predictProba([[0], [1]]);
    expect(Math.abs((p[0] as number) - 0.3)).toBeLessThan(SOLVER_TOLERANCE);
    expect(Math.abs((p[1] as number) - 0.7)).toBeLessThan(SOLVER_TOLERANCE);
  });

  it('class weights act as row weights: weighted closed form', () => {
    // Weights {0: 1, 1: 2}: the weighted rate at x = 0 is 6 / 13, at x = 1 it is 14 / 17.
    const m = LogisticRegression.fit(X2, y2, { C: Infinity, classWeight: { 0: 1, 1: 2 } });
    expect(Math.abs(m.intercept - logit(6 / 13))).toBeLessThan(SOLVER_TOLERANCE);
    expect(Math.abs((m.coefficients[0] as number) - (logit(14 / 17) - logit(6 / 13)))).toBeLessThan(SOLVER_TOLERANCE);
    // 'balanced' with equal class sizes weighs both classes 1.
    const b = LogisticRegression.fit(X2, y2, { C: Infinity, classWeight: 'balanced' });
    expect(Math.abs(b.intercept - logit(0.3))).toBeLessThan(SOLVER_TOLERANCE);
  });

  it('the penalised fit satisfies the optimality condition Xᵀ(p − y) + β / C = 0', () => {
    const X = frozenRows([[0.5, 1], [1.5, -1], [2, 0.3], [-1, 2], [0.2, 0.1], [3, -2], [1, 1], [-0.5, 0]]);
    const y = [0, 1, 1, 0, 0, 1, 1, 0];
    const C = 0.7;
    const m = LogisticRegression.fit(X, y, { C });
    const p = m.predictProba(X);
    const grad = [0, 0];
    let g0 = 0;
    X.forEach((row, i) => {
      const r = (p[i] as number) - (y[i] as number);
      grad[0] += r * (row[0] as number);
      grad[1] += r * (row[1] as number);
      g0 += r;
    });
    expect(Math.abs(g0)).toBeLessThan(1e-7);
    expect(Math.abs((grad[0] as number) + (m.coefficients[0] as number) / C)).toBeLessThan(1e-7);
    expect(Math.abs((grad[1] as number) + (m.coefficients[1] as number) / C)).toBeLessThan(1e-7);
  });

  it('without an intercept the decision function goes through the origin', () => {
    const m = LogisticRegression.fit(X2, y2, { fitIntercept: false });
    expect(m.intercept).toBe(0);
    expect(m.decisionFunction([[0]])[0]).toBe(0);
  });

  it('reports non-convergence on separable data without a penalty instead of returning NaN', () => {
    const m = LogisticRegression.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { C: Infinity, maxIterations: 20 });
    expect(m.report.converged).toBe(false);
    expect(m.report.warning).toMatch(/separable/);
    expect(LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1], { C: Infinity }).report.converged).toBe(true);
    expect(Number.isFinite(m.coefficients[0])).toBe(true);
  });

  it('says so when a column is constant and there is no penalty', () => {
    const m = LogisticRegression.fit([[0, 5], [1, 5], [2, 5], [3, 5], [1.5, 5]], [0, 1, 0, 1, 1], { C: Infinity });
    expect(m.report.warning).toMatch(/singular/);
    expect(m.coefficients.every(Number.isFinite)).toBe(true);
    expect(LogisticRegression.fit([[0, 5], [1, 5], [2, 5], [3, 5], [1.5, 5]], [0, 1, 0, 1, 1]).report.warning).toBe('');
  });

  it('predict uses p ≥ threshold', () => {
    const m = LogisticRegression.fit(X2, y2, { C: Infinity });
    expect(Array.from(m.predict([[0], [1]]))).toEqual([0, 1]);
    expect(Array.from(m.predict([[0], [1]], 0.25))).toEqual([1, 1]);
  });

  it('rejects bad input with CrmError', () => {
    expectCrmError(() => LogisticRegression.fit([[1], [Number.NaN]], [0, 1]), 'invalid_input', ['X', 1, 0]);
    expectCrmError(() => LogisticRegression.fit([[1, 2], [3]], [0, 1]), 'invalid_input', ['X', 1]);
    expectCrmError(() => LogisticRegression.fit([[1], [2]], [1, 1]), 'invalid_labels');
    expectCrmError(() => LogisticRegression.fit([[1], [2]], [0, 2]), 'invalid_labels', ['y', 1]);
    expectCrmError(() => LogisticRegression.fit([[1], [2]], [0, 1, 1]), 'invalid_labels');
    expectCrmError(() => LogisticRegression.fit([[1], [2]], [0, 1], { C: 0 }), 'invalid_argument', ['options', 'C']);
    expectCrmError(() => LogisticRegression.fit([[1], [2]], [0, 1], { c: 1 } as never), 'invalid_argument');
    const m = LogisticRegression.fit(X2, y2);
    expectCrmError(() => m.predictProba([[1, 2]]), 'invalid_input');
    expectCrmError(() => m.predict([[1]], 1.5), 'invalid_argument');
  });
});
