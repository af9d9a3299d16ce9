import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import {
  aliveHistoryChart,
  holdoutPurchasesChart,
  JUPYTER_DISPLAY,
  periodTransactionsChart,
  purchaseMatrixChart,
  transactionTrackingChart,
  type Chart,
} from '@crm/core/charts';

const count = (svg: string, cls: string): number => svg.split(`class="${cls}"`).length - 1;

function expectCrmError(f: () => unknown, code: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(isCrmError(caught), String(caught)).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
}

/** Opening tags minus closing tags per element name, ignoring self-closed ones: all zero when balanced. */
function unbalanced(svg: string): string[] {
  const depth = new Map<string, number>();
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    depth.set(m[2]!, (depth.get(m[2]!) ?? 0) + (m[1] ? -1 : 1));
  }
  return [...depth].filter(([, d]) => d !== 0).map(([n]) => n);
}

const samples: { name: string; make: () => Chart; marks: [string, number][] }[] = [
  {
    name: 'periodTransactionsChart',
    make: () => periodTransactionsChart({ labels: ['0', '1', '2', '3+'], actual: [1411, 439, 214, 293], expected: [1408, 460, 192, 297] }),
    marks: [['crm-bar crm-actual', 4], ['crm-bar crm-expected', 4]],
  },
  { name: 'holdoutPurchasesChart', make: () => holdoutPurchasesChart({ frequency: [0, 1, 2], actual: [0.24, 0.7, 1.4], predicted: [0.23, 0.67, 1.3] }), marks: [['crm-line', 2], ['crm-point', 6]] },
  {
    name: 'transactionTrackingChart',
    make: () => transactionTrackingChart({ period: [0, 1, 2, 3], actual: [0, 4, 9, 13], expected: [1, 4.5, 8.5, 12], calibrationEnd: 2 }),
    marks: [['crm-line', 2], ['crm-highlight', 1]],
  },
  {
    name: 'purchaseMatrixChart',
    make: () => purchaseMatrixChart({ frequency: [0, 1, 2], recency: [0, 5], values: [[0.1, 0.1], [0.3, 2.5], [0.2, 4.75]] }),
    marks: [['crm-cell', 6]],
  },
  {
    name: 'aliveHistoryChart',
    make: () => aliveHistoryChart({ period: [0, 1, 2, 3], probabilityAlive: [1, 1, 0.9, 0.7], purchased: [true, false, true, false] }),
    marks: [['crm-line', 1], ['crm-highlight', 2]],
  },
];

describe('diagnostic charts', () => {
  for (const s of samples) {
    it(`${s.name} draws a well-formed SVG with its marks and renders in Jupyter`, () => {
      const chart = s.make();
      const svg = String(chart);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(unbalanced(svg)).toEqual([]);
      for (const [cls, n] of s.marks) expect(count(svg, cls), cls).toBe(n);
      expect(chart[JUPYTER_DISPLAY]()['image/svg+xml']).toBe(svg);
    });
  }

  it('purchaseMatrixChart colours any finite values (expected purchases above 1), unlike probabilityAliveChart', () => {
    const svg = String(purchaseMatrixChart({ frequency: [0, 1], recency: [0, 1], values: [[0, 3], [7.5, 12]] }, { valueLabel: 'Expected purchases' }));
    expect(svg).toContain('12');
    const fills = new Set([...svg.matchAll(/class="crm-cell"[^>]*fill="([^"]+)"/g)].map((m) => m[1]));
    expect(fills.size).toBe(4);
  });

  it('transactionTrackingChart(…, { incremental: true }) draws the differences of the cumulative counts', () => {
    const data = { period: [0, 1, 2], actual: [0, 4, 9], expected: [1, 4.5, 8.5] };
    const cumulative = String(transactionTrackingChart(data));
    const incremental = String(transactionTrackingChart(data, { incremental: true }));
    expect(incremental).not.toBe(cumulative);
    expect(incremental).toContain('per period');
    expect(count(incremental, 'crm-highlight')).toBe(0);
  });

  it('user labels are escaped', () => {
    const svg = String(periodTransactionsChart({ labels: ['<b>', '&'], actual: [1, 2], expected: [1, 2] }));
    expect(svg).not.toContain('<b>');
    expect(unbalanced(svg)).toEqual([]);
  });

  it('bad data → invalid_input with a path; bad options → invalid_argument', () => {
    expectCrmError(() => periodTransactionsChart({ actual: [1, 2], expected: [1] }), 'invalid_input');
    expectCrmError(() => periodTransactionsChart({ actual: [1, -2], expected: [1, 2] }), 'invalid_input');
    expectCrmError(() => periodTransactionsChart({ labels: ['a'], actual: [1, 2], expected: [1, 2] }), 'invalid_input');
    expectCrmError(() => holdoutPurchasesChart({ frequency: [0, 1], actual: [0, NaN], predicted: [0, 1] }), 'invalid_input');
    expectCrmError(() => transactionTrackingChart({ period: [0], actual: [0], expected: [0], calibrationEnd: Infinity }), 'invalid_input');
    expectCrmError(() => transactionTrackingChart({ period: [0], actual: [0], expected: [0] }, { incremental: 'yes' as never }), 'invalid_argument');
    expectCrmError(() => purchaseMatrixChart({ frequency: [0], recency: [0, 1], values: [[1]] }), 'invalid_input');
    expectCrmError(() => purchaseMatrixChart({ frequency: [0], recency: [0], values: [[Infinity]] }), 'invalid_input');
    expectCrmError(() => aliveHistoryChart({ period: [0, 1], probabilityAlive: [1, 1.2] }), 'invalid_input');
    expectCrmError(() => aliveHistoryChart({ period: [0, 1], probabilityAlive: [1, 1], purchased: [true] }), 'invalid_input');
    expectCrmError(() => holdoutPurchasesChart({ frequency: [0], actual: [0], predicted: [0] }, { colour: 'red' } as never), 'invalid_argument');
  });
});
