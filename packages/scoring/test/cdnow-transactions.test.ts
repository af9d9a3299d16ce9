import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { summarizeCustomers } from '@crm/core';
import { BgNbd, GammaGamma, ModifiedBgNbd, ParetoNbd } from '@crm/scoring';

// The raw CDNOW transactions summarized by @crm/core (weeks, calibration to 1997-09-30), i.e. the
// unrounded data behind the published estimates; the 2-dp summary file is tested in each model's file.
const transactions = gunzipSync(readFileSync(new URL('./fixtures/CDNOW_sample.txt.gz', import.meta.url)))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [, id, d, , dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
    return { customerId: id, time: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, amount: Number(dollars) };
  });
const customers = summarizeCustomers(transactions, { observationEnd: '1997-09-30', period: 'week' });

describe('CLV models on the raw CDNOW transactions', () => {
  it('has the 2,357 customers, 1,411 without repeat purchases and Σ frequency 2,457 (REFERENCE §1)', () => {
    expect(customers.length).toBe(2357);
    expect(customers.filter((c) => c.frequency === 0).length).toBe(1411);
    expect(customers.reduce((s, c) => s + c.frequency, 0)).toBe(2457);
  });

  it('BG/NBD: the published digits and CLVTools\' log-likelihood −9582.429 (±0.001, its printed precision)', () => {
    const m = BgNbd.fit(customers);
    expect(m.params.r).toBeCloseTo(0.2426, 4);
    expect(m.params.alpha).toBeCloseTo(4.414, 3);
    expect(m.params.a).toBeCloseTo(0.7929, 4);
    expect(m.params.b).toBeCloseTo(2.426, 3);
    expect(Math.abs(m.report.logLikelihood - -9582.429)).toBeLessThan(0.001);
  });

  it('Pareto/NBD: the published digits and CLVTools\' log-likelihood −9594.976 (±0.001)', () => {
    const m = ParetoNbd.fit(customers);
    expect(m.params.r).toBeCloseTo(0.5533, 4);
    expect(m.params.alpha).toBeCloseTo(10.58, 2);
    expect(m.params.s).toBeCloseTo(0.6062, 4);
    expect(m.params.beta).toBeCloseTo(11.67, 2);
    expect(Math.abs(m.report.logLikelihood - -9594.976)).toBeLessThan(0.001);
  });

  it('MBG/NBD: r .525, α 6.183, a .891, b 1.614 to 3 dp', () => {
    const m = ModifiedBgNbd.fit(customers);
    expect(m.params.r).toBeCloseTo(0.525, 3);
    expect(m.params.alpha).toBeCloseTo(6.183, 3);
    expect(m.params.a).toBeCloseTo(0.891, 3);
    expect(m.params.b).toBeCloseTo(1.614, 3);
  });

  it('Gamma-Gamma: p 6.25, q 3.74, γ 15.44 to 2 dp, and CLVTools\' log-likelihood −4055.9177 (±0.001)', () => {
    const m = GammaGamma.fit(customers);
    expect(m.report.observations).toBe(946);
    expect(m.params.p).toBeCloseTo(6.25, 2);
    expect(m.params.q).toBeCloseTo(3.74, 2);
    expect(m.params.gamma).toBeCloseTo(15.44, 2);
    expect(Math.abs(m.report.logLikelihood - -4055.9177)).toBeLessThan(0.001);
  });
});
