import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohortRetention, cohortSurvivors, ShiftedBetaGeometric, type CohortRetentionOptions, type CohortTable } from '@crm/scoring';
import { crmCode } from '../../../test/crm-error.ts';

// The CDNOW sample (6,919 transactions of 2,357 customers), read as in the pandas reference.
const transactions = Object.freeze(
  readFileSync(new URL('../../../examples/data/CDNOW_sample.txt', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [id, , d, , dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
      return Object.freeze({ customerId: id, time: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, amount: Number(dollars) });
    }),
);

interface ReferenceCase {
  readonly options: CohortRetentionOptions;
  readonly table: Omit<CohortTable, 'kind' | 'version' | 'cohort' | 'period' | 'observationEnd'> & { readonly observationEnd: string };
}
// pandas 1.5 on the same file: test/fixtures/cohort_reference.py → cohort_reference.json.
const reference = JSON.parse(readFileSync(new URL('./fixtures/cohort_reference.json', import.meta.url), 'utf8')) as { cases: ReferenceCase[] };

/**
 * Revenues are sums of two-decimal amounts in another order than pandas' groupby, so they may differ
 * in the last bits: a relative 1e-12 is ~10⁴ ulps, far below a cent on sums under $10⁶ and far above
 * reordering error of a few thousand additions (≤ n·ε ≈ 7e-13 relative). Counts, statuses and
 * retention rates (integer ratios) must be identical.
 */
const REVENUE_RELATIVE = 1e-12;

function closeOrNull(got: readonly (number | null)[], want: readonly (number | null)[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, k) => {
    const w = want[k];
    if (w === null || w === undefined) expect(g, `${what}[${k}]`).toBeNull();
    else expect(Math.abs((g as number) - w), `${what}[${k}]: ${g} vs ${w}`).toBeLessThanOrEqual(REVENUE_RELATIVE * Math.max(1, Math.abs(w)));
  });
}

describe('cohortRetention(transactions, options) against pandas on CDNOW', () => {
  for (const c of reference.cases) {
    it(`${JSON.stringify(c.options)}: counts, statuses and rates identical; revenues to ${REVENUE_RELATIVE} relative`, () => {
      const t = cohortRetention(transactions, c.options);
      expect(t.periods).toBe(c.table.periods);
      expect(t.observationEnd.slice(0, 10)).toBe(c.table.observationEnd);
      expect(t.cohorts.map((r) => r.label)).toEqual(c.table.cohorts.map((r) => r.label));
      t.cohorts.forEach((row, i) => {
        const want = c.table.cohorts[i]!;
        expect(row.customers).toBe(want.customers);
        expect(row.status).toEqual(want.status);
        expect(row.active).toEqual(want.active);
        expect(row.survivors).toEqual(want.survivors);
        expect(row.retention).toEqual(want.retention);
        closeOrNull(row.revenue, want.revenue, `${row.label} revenue`);
        closeOrNull(row.revenueRetention, want.revenueRetention, `${row.label} revenueRetention`);
      });
    });
  }

  it('covers every customer once: cohort sizes add up to the 2,357 customers', () => {
    const t = cohortRetention(transactions);
    expect(t.cohorts.reduce((s, r) => s + r.customers, 0)).toBe(2357);
  });
});

describe('cohortRetention: worked example and censoring', () => {
  // A: 5 Jan, 11 Feb; B: 20 Jan; C: 3 Feb; D: 28 Feb (returns 2 Mar, after the end).
  const rows = Object.freeze([
    { customerId: 'A', time: '2024-01-05', amount: 10 },
    { customerId: 'A', time: '2024-02-11', amount: 15 },
    { customerId: 'B', time: '2024-01-20', amount: 20 },
    { customerId: 'C', time: '2024-02-03', amount: 5 },
    { customerId: 'D', time: '2024-02-28', amount: 8 },
    { customerId: 'D', time: '2024-03-02', amount: 8 },
  ].map((r) => Object.freeze(r)));

  it('by hand: January keeps 1 of 2 in February (revenue 15 of 30); February\'s March is censored (null, not 0)', () => {
    const t = cohortRetention(rows, { observationEnd: '2024-02-29' });
    expect(t.periods).toBe(2);
    const [jan, feb] = t.cohorts;
    expect(jan).toMatchObject({ label: '2024-01', customers: 2, active: [2, 1], retention: [1, 0.5], revenue: [30, 15], revenueRetention: [1, 0.5], status: ['complete', 'complete'] });
    expect(feb).toMatchObject({ label: '2024-02', customers: 2, active: [2, null], retention: [1, null], revenue: [13, null], status: ['complete', 'censored'] });
  });

  it('flags the period holding the observation end as partial (15 Feb: February began but did not end)', () => {
    const t = cohortRetention(rows, { observationEnd: '2024-02-15' });
    expect(t.cohorts[0]!.status).toEqual(['complete', 'partial']);
    expect(t.cohorts[1]!.status).toEqual(['partial', 'censored']); // every row spans the table's periods
    expect(t.cohorts.map((r) => r.customers)).toEqual([2, 1]); // D bought after the end
  });

  it('defaults the observation end to the last transaction (2 Mar: March is partial)', () => {
    const t = cohortRetention(rows);
    expect(t.observationEnd).toBe('2024-03-02T00:00:00.000Z');
    expect(t.cohorts[0]!.status).toEqual(['complete', 'complete', 'partial']);
    expect(t.cohorts[1]!.active).toEqual([2, 1, null]);
  });

  it('weeks run Monday to Sunday: Sun 7 Jan and Mon 8 Jan are weeks 0 and 1 of a cohort', () => {
    const t = cohortRetention(
      [
        { customerId: 'X', time: '2024-01-07', amount: 1 },
        { customerId: 'X', time: '2024-01-08', amount: 1 },
      ],
      { cohort: 'week' },
    );
    expect(t.cohorts[0]!.label).toBe('2024-01-01');
    expect(t.cohorts[0]!.active).toEqual([1, 1]);
  });

  it('treats ids 7 and "7" as one customer and does not mutate its input (frozen rows)', () => {
    const t = cohortRetention([
      { customerId: 7, time: '2024-01-01', amount: 1 },
      { customerId: '7', time: '2024-02-01', amount: 1 },
    ]);
    expect(t.cohorts[0]!.customers).toBe(1);
  });

  it('refuses bad rows and options with CrmError and a path', () => {
    expect(crmCode(() => cohortRetention([{ customerId: 'A', time: 'soon', amount: 1 }]))).toEqual(['invalid_input', [0, 'time']]);
    expect(crmCode(() => cohortRetention([{ customerId: 'A', time: '2024-01-01', amount: NaN }]))).toEqual(['invalid_input', [0, 'amount']]);
    expect(crmCode(() => cohortRetention([{ customerId: 'A', time: 19970101, amount: 1 }]))).toEqual(['invalid_input', [0, 'time']]);
    expect(crmCode(() => cohortRetention([], {}))).toEqual(['invalid_input', ['transactions']]);
    expect(crmCode(() => cohortRetention(rows, { cohort: 'year' as 'month' }))).toEqual(['invalid_argument', ['options', 'cohort']]);
    expect(crmCode(() => cohortRetention(rows, { perod: 'week' } as CohortRetentionOptions))).toEqual(['invalid_argument', ['options', 'perod']]);
    expect(crmCode(() => cohortRetention(rows, { cohort: 'day', maxCells: 100 }))).toEqual(['limit_exceeded', ['options', 'maxCells']]);
  });
});

describe('cohortSurvivors(table, options) → ShiftedBetaGeometric input', () => {
  const table = cohortRetention(transactions);

  it('one cohort, at-or-after: the pandas survivors (last purchase in period k or later) over complete periods', () => {
    const want = reference.cases[0]!.table.cohorts[0]!.survivors as number[];
    const s = cohortSurvivors(table, { cohort: '1997-01' });
    expect(s).toEqual(want); // every month of the January cohort is complete at 1998-06-30
    expect(s[0]).toBe(781);
    const model = ShiftedBetaGeometric.fit(s);
    expect(model.params.alpha).toBeGreaterThan(0);
  });

  it('pooled: sums the cohorts observed through the span, element by element', () => {
    const s = cohortSurvivors(table, { periods: 12 });
    const want = Array.from({ length: 13 }, (_, k) => table.cohorts.reduce((sum, r) => sum + (r.survivors[k] as number), 0));
    expect(s).toEqual(want);
  });

  it("'active' refuses CDNOW's rising counts (65 in month 4, 77 in month 5) and names the fix", () => {
    expect(() => cohortSurvivors(table, { cohort: '1997-01', definition: 'active' })).toThrow(/non-increasing.*at-or-after/);
  });

  it('uses complete cells only and refuses fewer than two', () => {
    const t = cohortRetention(transactions, { cohort: 'week', observationEnd: '1997-09-30' });
    const last = t.cohorts[t.cohorts.length - 1]!;
    const s = cohortSurvivors(t, { cohort: last.label });
    expect(s.length).toBe(last.status.filter((x) => x === 'complete').length);
    expect(() => cohortSurvivors(t, { cohort: 'nope' })).toThrow(/no cohort labelled/);
    expect(() => cohortSurvivors({ kind: 'other' } as unknown as CohortTable)).toThrow(/cohortRetention/);
  });
});

describe('cohortRetention: invariants on random transactions (fast-check)', () => {
  it('active ≤ survivors ≤ customers, survivors non-increasing, null exactly where censored, revenue adds up, every customer in one cohort', async () => {
    const fc = (await import('fast-check')).default;
    const day = 86_400_000;
    const start = Date.UTC(2023, 0, 1);
    const row = fc.record({ c: fc.integer({ min: 0, max: 30 }), d: fc.integer({ min: 0, max: 400 }), a: fc.integer({ min: -50, max: 500 }) });
    const units = fc.constantFrom('day' as const, 'week' as const, 'month' as const);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 80 }), units, units, fc.integer({ min: 0, max: 420 }), (rows, cohort, period, endDay) => {
        const tx = rows.map((r) => ({ customerId: `k${r.c}`, time: start + r.d * day + 3_600_000, amount: r.a }));
        const kept = tx.filter((t) => t.time <= start + endDay * day);
        if (kept.length === 0) return;
        const t = cohortRetention(tx, { cohort, period, observationEnd: start + endDay * day, maxCells: 1e7 });
        expect(t.cohorts.reduce((s, r) => s + r.customers, 0)).toBe(new Set(kept.map((x) => x.customerId)).size);
        let revenue = 0;
        for (const r of t.cohorts) {
          expect(r.active.length).toBe(t.periods);
          r.status.forEach((s, k) => {
            expect(r.active[k] === null).toBe(s === 'censored');
            expect(r.survivors[k] === null).toBe(s === 'censored');
            if (s === 'censored') return;
            expect(r.active[k]!).toBeLessThanOrEqual(r.survivors[k]!);
            expect(r.survivors[k]!).toBeLessThanOrEqual(r.customers);
            if (k > 0 && r.survivors[k - 1] !== null) expect(r.survivors[k]!).toBeLessThanOrEqual(r.survivors[k - 1]!);
            revenue += r.revenue[k]!;
          });
          expect(r.active[0]).toBe(r.customers); // everyone buys in their acquisition period
        }
        expect(revenue).toBe(kept.reduce((s, x) => s + x.amount, 0)); // integer amounts: exact sums
      }),
      { numRuns: 200, seed: 14 },
    );
  });
});

describe('cohortRetention on transactions as columns', () => {
  it('gives the table of the same transactions as records (ids, epoch ms and amounts in arrays)', () => {
    const columns = {
      customerId: transactions.map((t) => t.customerId),
      time: Float64Array.from(transactions, (t) => Date.parse(`${t.time}T00:00:00Z`)),
      amount: Float64Array.from(transactions, (t) => t.amount),
    };
    for (const options of [{ cohort: 'month' }, { cohort: 'week', observationEnd: '1997-09-30' }] as const) {
      expect(cohortRetention(columns, options)).toEqual(cohortRetention(transactions, options));
    }
  });
});
