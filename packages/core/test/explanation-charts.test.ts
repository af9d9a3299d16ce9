import { describe, expect, it } from 'vitest';
import { explanationSummaryChart, explanationWaterfallChart } from '@crm/core/charts';
import { crmError } from '../../../test/crm-error.ts';

/** The x positions (left, right) of the bars of a chart, in drawing order. */
function bars(svg: string): { x: number; w: number; fill: string }[] {
  return [...svg.matchAll(/<rect class="crm-bar" x="([-\d.]+)" y="[-\d.]+" width="([\d.]+)" height="[\d.]+" fill="(#[0-9A-Fa-f]+)"/g)].map((m) => ({ x: Number(m[1]), w: Number(m[2]), fill: m[3] as string }));
}

describe('explanationWaterfallChart(data, options)', () => {
  const data = { base: 0.3, contributions: [0.2, -0.1, 0.05, 0.01, -0.02], featureNames: ['days', 'orders', 'contract', 'a', 'b'], values: [94, 7, 1, 0, null] };

  it('steps from the base to base + Σ contributions, one bar per feature, largest last (next to the output)', () => {
    const chart = explanationWaterfallChart(data);
    const b = bars(chart.svg);
    expect(b).toHaveLength(5);
    // Bars chain: each starts where the previous ended (the first at the base).
    const widths = b.map((x) => x.w);
    const totalPx = b.reduce((s, x, k) => s + (x.fill === '#D55E00' ? 1 : -1) * x.w, 0);
    expect(widths[widths.length - 1]).toBe(Math.max(...widths));
    expect(chart.svg).toContain('output 0.44');
    expect(chart.svg).toContain('base 0.30');
    expect(chart.svg).toContain('days = 94');
    expect(chart.svg).toContain('b = missing');
    expect(chart.svg).toContain('+0.20');
    expect(chart.svg).toContain('−0.10');
    expect(Number.isFinite(totalPx)).toBe(true);
  });

  it('sums the features past maxFeatures into one bar', () => {
    const chart = explanationWaterfallChart(data, { maxFeatures: 3 });
    expect(bars(chart.svg)).toHaveLength(3);
    expect(chart.svg).toContain('3 other features');
    // 0.05 + 0.01 − 0.02 = 0.04
    expect(chart.svg).toContain('+0.04');
    expect(chart.svg).toContain('output 0.44');
  });

  it('rejects bad data and options with CrmError and a path', () => {
    expect(crmError(() => explanationWaterfallChart({ base: Number.NaN, contributions: [1] })).path).toEqual(['base']);
    expect(crmError(() => explanationWaterfallChart({ base: 0, contributions: [1, Infinity] })).path).toEqual(['contributions', 1]);
    expect(crmError(() => explanationWaterfallChart({ base: 0, contributions: [1], featureNames: ['a', 'b'] })).path).toEqual(['featureNames']);
    expect(crmError(() => explanationWaterfallChart({ base: 0, contributions: [1], values: [Infinity] })).path).toEqual(['values', 0]);
    expect(crmError(() => explanationWaterfallChart({ base: 0, contributions: [1] }, { maxFeatures: 0 })).path).toEqual(['options', 'maxFeatures']);
    expect(crmError(() => explanationWaterfallChart({ base: 0, contributions: [1] }, { maxFeature: 2 } as never)).code).toBe('invalid_argument');
  });
});

describe('explanationSummaryChart(data, options)', () => {
  const contributions = Array.from({ length: 50 }, (_, i) => [Math.sin(i) * 0.3, (i % 5) * 0.01 - 0.02, 0]);
  const values = contributions.map((_, i) => [i, i % 5, i % 2 === 0 ? Number.NaN : 1]);

  it("'bar' ranks features by mean |contribution|", () => {
    const chart = explanationSummaryChart({ contributions, featureNames: ['big', 'small', 'none'] }, { maxFeatures: 2 });
    expect(bars(chart.svg)).toHaveLength(2);
    expect(chart.svg.indexOf('>big<')).toBeLessThan(chart.svg.indexOf('>small<'));
    expect(chart.svg).not.toContain('>none<');
  });

  it("'beeswarm' draws one dot per row and feature, grey for missing values, thinned to maxPoints", () => {
    const chart = explanationSummaryChart({ contributions, values }, { kind: 'beeswarm' });
    expect(chart.svg.match(/class="crm-point"/g)).toHaveLength(150);
    expect(chart.svg.match(/fill="#888888"/g)?.length).toBe(25);
    const thin = explanationSummaryChart({ contributions, values }, { kind: 'beeswarm', maxPoints: 10 });
    expect(thin.svg.match(/class="crm-point"/g)).toHaveLength(30);
    expect(thin.svg).toContain('every 5th of 50 rows');
  });

  it('rejects bad data and options with CrmError and a path', () => {
    expect(crmError(() => explanationSummaryChart({ contributions: [] })).path).toEqual(['contributions']);
    expect(crmError(() => explanationSummaryChart({ contributions: [[1, 2], [1]] })).path).toEqual(['contributions', 1]);
    expect(crmError(() => explanationSummaryChart({ contributions: [[1, Number.NaN]] })).path).toEqual(['contributions', 0, 1]);
    expect(crmError(() => explanationSummaryChart({ contributions: [[1, 2]], values: [[1]] }, { kind: 'beeswarm' })).path).toEqual(['values', 0]);
    expect(crmError(() => explanationSummaryChart({ contributions: [[1, 2]] }, { kind: 'violin' as never })).path).toEqual(['options', 'kind']);
    expect(crmError(() => explanationSummaryChart({ contributions: [[1, 2]] }, { maxPoints: 0 })).path).toEqual(['options', 'maxPoints']);
  });
});
