// Kaplan–Meier and the log-rank test against R's survival 3.5-3 on the Telco data
// (fixtures/survival_reference.R → survival_reference.json; all 7,043 rows, tenure in months,
// Churn = Yes as the event).
//
// Tolerance: the issue asks for agreement to 1e-6. Both sides evaluate the same closed forms
// (products of (1 − d/n), cumulative sums of d/(n(n − d)), the band transforms) in double
// precision; they differ only in the order of rounding (R's cumulative products and sums, its
// log/exp against our portable ones), which stays below 1e-13 relative on these 7,043 rows. We
// therefore hold a relative tolerance of 1e-10: far inside the 1e-6, and loose enough not
// to fail on a reordering of sums. Counts, times and quantile times must match exactly.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KaplanMeier, kaplanMeierByGroup, logRankTest, type ConfidenceType } from '@crm/churn';
import { chiSquareSurvival, normalQuantile } from '@crm/core';

const REL = 1e-10;

interface Curve {
  time: number[];
  n_risk: number[];
  n_event: number[];
  n_censor: number[];
  surv: number[];
  std_err_log: (number | null)[];
  std_err: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  quantile_probs: number[];
  quantile: (number | null)[];
  quantile_lower: (number | null)[];
  quantile_upper: (number | null)[];
}
interface Reference {
  n: number;
  curves: { conf_type: ConfidenceType; conf_level: number; all: Curve; contract_levels: string[]; by_contract: Curve[] }[];
  logrank: { name: string; rho: number; groups: string[]; n: number[]; obs: number[]; exp: number[]; var: number[][]; chisq: number; df: number; pvalue: number }[];
  chisq: { df: number; x: number[]; p: number[] }[];
  qnorm: { p: number[]; q: number[] };
}

const ref = JSON.parse(readFileSync(new URL('./fixtures/survival_reference.json', import.meta.url), 'utf8')) as Reference;

function telco(): { tenure: number[]; churn: number[]; columns: Record<string, string[]> } {
  const text = gunzipSync(readFileSync(new URL('./fixtures/telco.csv.gz', import.meta.url))).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] as string).split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const col = (name: string): string[] => rows.map((r) => r[header.indexOf(name)] as string);
  const columns: Record<string, string[]> = {};
  for (const name of ['Contract', 'gender', 'PaperlessBilling', 'PaymentMethod']) columns[name] = col(name);
  return { tenure: col('tenure').map(Number), churn: col('Churn').map((c) => (c === 'Yes' ? 1 : 0)), columns };
}
const data = telco();

/** Largest relative difference, null matching null only. */
function maxRel(got: readonly (number | null)[], want: readonly (number | null)[], what: string): number {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] ?? null;
    const w = want[i] ?? null;
    if (w === null || g === null) {
      expect(g, `${what}[${i}]`).toBe(w);
      continue;
    }
    const d = Math.abs(g - w) / Math.max(Math.abs(w), 1e-300);
    if (!(d <= worst)) worst = d === 0 ? worst : d;
  }
  return worst;
}

/** R gives NA for the log-log band where S = 1; we give the limit [1, 1] (see survival-curve.ts). */
function rBand(band: readonly (number | null)[], surv: readonly number[], type: ConfidenceType): (number | null)[] {
  return band.map((v, i) => (v === null && type === 'log-log' && surv[i] === 1 ? 1 : v));
}

function compareCurve(km: KaplanMeier, want: Curve, type: ConfidenceType, what: string): void {
  const t = km.table;
  expect(t.time).toEqual(want.time);
  expect(t.atRisk).toEqual(want.n_risk);
  expect(t.events).toEqual(want.n_event);
  expect(t.censored).toEqual(want.n_censor);
  expect(maxRel(t.survival, want.surv, `${what} survival`)).toBeLessThan(REL);
  expect(maxRel(t.standardError, want.std_err.map((v, i) => (want.surv[i] === 0 ? null : v)), `${what} std.err`)).toBeLessThan(REL);
  expect(maxRel(t.lower, rBand(want.lower, want.surv, type), `${what} lower`)).toBeLessThan(REL);
  expect(maxRel(t.upper, rBand(want.upper, want.surv, type), `${what} upper`)).toBeLessThan(REL);
  want.quantile_probs.forEach((p, j) => {
    const q = km.quantile(p);
    expect([q.time, q.lower, q.upper], `${what} quantile ${p}`).toEqual([want.quantile[j] ?? null, want.quantile_lower[j] ?? null, want.quantile_upper[j] ?? null]);
  });
}

describe('KaplanMeier on Telco equals R survfit (survival 3.5-3)', () => {
  for (const c of ref.curves) {
    it(`all 7,043 customers, conf.type = "${c.conf_type}", conf.int = ${c.conf_level}: table, std.err, band, quantiles with intervals`, () => {
      const km = KaplanMeier.fit({ durations: data.tenure, events: data.churn }, { confidenceType: c.conf_type, confidenceLevel: c.conf_level });
      expect(km.n).toBe(ref.n);
      compareCurve(km, c.all, c.conf_type, 'all');
    });
    it(`per contract type (survfit(Surv(tenure, churn) ~ Contract)), conf.type = "${c.conf_type}", conf.int = ${c.conf_level}`, () => {
      const groups = kaplanMeierByGroup({ durations: data.tenure, events: data.churn }, data.columns['Contract'] as string[], {
        confidenceType: c.conf_type,
        confidenceLevel: c.conf_level,
      });
      expect(groups.map((g) => g.group)).toEqual(c.contract_levels);
      groups.forEach((g, j) => compareCurve(g.model, c.by_contract[j] as Curve, c.conf_type, String(g.group)));
    });
  }
  it('the Greenwood σ of −log S is standardError / survival (R survfit()$std.err)', () => {
    const c = ref.curves[0] as Reference['curves'][number];
    const t = KaplanMeier.fit({ durations: data.tenure, events: data.churn }).table;
    const sigma = t.standardError.map((se, i) => (se === null ? null : se / (t.survival[i] as number)));
    expect(maxRel(sigma, c.all.std_err_log, 'sigma')).toBeLessThan(REL);
  });
});

describe('logRankTest equals R survdiff', () => {
  const columnOf: Record<string, { groups: string[]; rows: number[] }> = {};
  const all = data.tenure.map((_, i) => i);
  columnOf['contract'] = { groups: data.columns['Contract'] as string[], rows: all };
  columnOf['gender'] = { groups: data.columns['gender'] as string[], rows: all };
  columnOf['payment_method'] = { groups: data.columns['PaymentMethod'] as string[], rows: all };
  const m2m = all.filter((i) => data.columns['Contract']?.[i] === 'Month-to-month');
  columnOf['paperless_month_to_month'] = { groups: data.columns['PaperlessBilling'] as string[], rows: m2m };
  for (const r of ref.logrank) {
    it(`${r.name}, rho = ${r.rho}: observed, expected, variance, chi-square, df, p`, () => {
      const c = columnOf[r.name] as { groups: string[]; rows: number[] };
      const test = logRankTest(
        { durations: c.rows.map((i) => data.tenure[i] as number), events: c.rows.map((i) => data.churn[i] as number) },
        c.rows.map((i) => c.groups[i] as string),
        { rho: r.rho },
      );
      expect(test.groups).toEqual(r.groups);
      expect(test.n).toEqual(r.n);
      expect(test.df).toBe(r.df);
      expect(maxRel(test.observed, r.obs, 'observed')).toBeLessThan(REL);
      expect(maxRel(test.expected, r.exp, 'expected')).toBeLessThan(REL);
      expect(maxRel(test.variance.flat(), r.var.flat(), 'variance')).toBeLessThan(REL);
      expect(maxRel([test.statistic], [r.chisq], 'chisq')).toBeLessThan(REL);
      // p-values: relative where R's is above the underflow range; exactly 0 where R's is.
      if (r.pvalue === 0) expect(test.pValue).toBe(0);
      else expect(maxRel([test.pValue], [r.pvalue], 'p')).toBeLessThan(1e-8);
    });
  }
});

describe('special functions of @crm/core against R', () => {
  it('chiSquareSurvival(x, df) equals pchisq(x, df, lower.tail = FALSE) to 1e-12 relative (above 1e-290)', () => {
    for (const c of ref.chisq) {
      c.x.forEach((x, i) => {
        const want = c.p[i] as number;
        const got = chiSquareSurvival(x, c.df);
        if (want < 1e-290) expect(got).toBeLessThan(1e-280);
        else expect(Math.abs(got - want) / want, `df ${c.df}, x ${x}`).toBeLessThan(1e-12);
      });
    }
  });
  it('normalQuantile(p) equals qnorm(p) to 1e-15 relative (both are AS 241)', () => {
    ref.qnorm.p.forEach((p, i) => {
      const want = ref.qnorm.q[i] as number;
      const got = normalQuantile(p);
      if (want === 0) expect(got).toBe(0);
      else expect(Math.abs(got - want) / Math.abs(want), `p ${p}`).toBeLessThan(1e-15);
    });
  });
});
