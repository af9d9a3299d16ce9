import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCrmError } from '@crm/core';
import {
  JUPYTER_DISPLAY,
  aliveHistoryChart,
  calibrationChart,
  holdoutPurchasesChart,
  periodTransactionsChart,
  purchaseMatrixChart,
  transactionTrackingChart,
  cohortHeatmapChart,
  dendrogramChart,
  elbowChart,
  expectedPurchasesChart,
  explanationSummaryChart,
  explanationWaterfallChart,
  featureImportanceChart,
  gainsChart,
  liftChart,
  precisionRecallChart,
  probabilityAliveChart,
  retentionCurvesChart,
  rfmHeatmapChart,
  rocChart,
  ruleScatterChart,
  survivalChart,
  segmentProfilesChart,
  segmentSizesChart,
  silhouetteChart,
  somHitMapChart,
  somUMatrixChart,
  treeChart,
  type Chart,
} from '@crm/core/charts';

// A small XML well-formedness checker for the chart tests: balanced tags, quoted attributes,
// no raw '<' or stray '&' in text, a single root element.
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  const re = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    if (m[2] === undefined) {
      problems.push(`raw '${m[0]}' at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
      continue;
    }
    const [, close, name, , selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}> at ${m.index}`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** How many elements carry `class="<name>"`. */
function countClass(svg: string, name: string): number {
  return svg.split(`class="${name}"`).length - 1;
}

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

const NASTY = '<script>alert("x")</script> & \'co\' \u0001';

/** Checks every chart must pass: one well-formed SVG, accessible, finite numbers only. */
function expectWellFormed(chart: Chart): void {
  const svg = chart.svg;
  expect(xmlProblems(svg)).toEqual([]);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain('role="img"');
  expect(svg).toMatch(/<title id="[\w-]+">[^<]+<\/title><desc id="[\w-]+">[^<]+<\/desc>/);
  expect(svg).not.toMatch(/NaN|undefined|Infinity|\[object/);
  expect(String(chart)).toBe(svg);
  expect(`${chart}`).toBe(svg);
  expect(chart[JUPYTER_DISPLAY]()).toEqual({ 'image/svg+xml': svg });
  // The Jupyter protocol key is the global symbol, so Deno's kernel finds it without importing us.
  const display = (chart as unknown as Record<symbol, () => unknown>)[Symbol.for('Jupyter.display')];
  expect(typeof display).toBe('function');
  // Ids the accessible name points to exist.
  const ids = /aria-labelledby="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
  expect(ids).toHaveLength(2);
  for (const id of ids) expect(svg).toContain(`id="${id}"`);
}

function expectCrmError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(isCrmError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return;
  }
  throw new Error('expected a CrmError');
}

const deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** One sample call of every chart, with the number of marks it must draw. */
const cohortTable = {
  cohorts: [
    { label: '2024-01', retention: [1, 0.42, 0.35, 0.3], status: ['complete', 'complete', 'complete', 'partial'] },
    { label: '2024-02', retention: [1, 0.38, 0.3, null], status: ['complete', 'complete', 'partial', 'censored'] },
    { label: '2024-03', retention: [1, 0.4, null, null], status: ['complete', 'partial', 'censored', 'censored'] },
  ],
};

const samples: { name: string; make: () => Chart; marks: [string, number][] }[] = [
  {
    name: 'cohortHeatmapChart',
    make: () => cohortHeatmapChart(cohortTable),
    marks: [['crm-cell', 9], ['crm-cell crm-missing', 3], ['crm-flagged', 3]],
  },
  { name: 'retentionCurvesChart', make: () => retentionCurvesChart(cohortTable), marks: [['crm-line', 3], ['crm-point', 3 + 2 + 1]] },
  {
    name: 'rfmHeatmapChart',
    make: () => rfmHeatmapChart({ values: [[5, 1, 0], [3, 4, 2], [1, 6, 9]] }),
    marks: [['crm-cell', 9]],
  },
  {
    name: 'segmentSizesChart',
    make: () => segmentSizesChart([{ label: 'Champions', count: 412 }, { label: 'Loyal', count: 655 }, { label: 'Lost', count: 0 }]),
    marks: [['crm-bar', 3]],
  },
  {
    name: 'segmentProfilesChart',
    make: () => segmentProfilesChart({ segments: ['a', 'b'], features: ['x', 'y', 'constant'], values: [[1, 200, 5], [3, 100, 5]] }),
    marks: [['crm-cell', 6]],
  },
  { name: 'elbowChart', make: () => elbowChart({ k: [1, 2, 3, 4, 5], inertia: [100, 50, 30, 25, 22] }, { chosenK: 3 }), marks: [['crm-point', 5], ['crm-highlight', 1]] },
  { name: 'silhouetteChart', make: () => silhouetteChart({ k: [2, 3, 4], silhouette: [0.3, 0.45, -0.1] }), marks: [['crm-point', 3]] },
  { name: 'dendrogramChart', make: () => dendrogramChart({ merges: [[0, 1, 0.5], [2, 3, 0.8], [4, 5, 2]] }, { cutHeight: 1 }), marks: [['crm-leaf', 4], ['crm-cut', 1]] },
  { name: 'somUMatrixChart', make: () => somUMatrixChart({ distances: [[0.1, 0.5], [0.4, 0.2], [1, 0]] }), marks: [['crm-cell', 6]] },
  { name: 'somHitMapChart', make: () => somHitMapChart({ counts: [[0, 3], [12, 1]] }), marks: [['crm-cell', 4]] },
  {
    name: 'rocChart',
    make: () => rocChart([{ label: 'a', fpr: [0, 0.2, 1], tpr: [0, 0.7, 1], auc: 0.75 }, { label: 'b', fpr: new Float64Array([0, 1]), tpr: new Float64Array([0, 1]) }]),
    marks: [['crm-line', 2], ['crm-reference', 1]],
  },
  { name: 'precisionRecallChart', make: () => precisionRecallChart({ recall: [0, 0.5, 1], precision: [1, 0.6, 0.3] }, { baseline: 0.3 }), marks: [['crm-line', 1], ['crm-reference', 1]] },
  { name: 'gainsChart', make: () => gainsChart({ label: 'm', fraction: deciles, gain: [0.3, 0.5, 0.65, 0.77, 0.86, 0.92, 0.96, 0.98, 0.99, 1] }), marks: [['crm-line', 1], ['crm-point', 11]] },
  { name: 'liftChart', make: () => liftChart({ fraction: deciles, lift: [3, 2.5, 2.17, 1.93, 1.72, 1.53, 1.37, 1.23, 1.1, 1] }), marks: [['crm-line', 1]] },
  { name: 'calibrationChart', make: () => calibrationChart({ predicted: [0.1, 0.5, 0.9], observed: [0.2, 0.5, 0.8] }), marks: [['crm-point', 3]] },
  { name: 'featureImportanceChart', make: () => featureImportanceChart([{ feature: 'tenure', importance: 0.06, std: 0.01 }, { feature: 'charges', importance: -0.002 }]), marks: [['crm-bar', 2], ['crm-error', 1]] },
  {
    name: 'probabilityAliveChart',
    make: () => probabilityAliveChart({ frequency: [0, 1, 2], recency: [0, 5], values: [[1, 1], [0.4, 0.9], [0.2, 0.95]] }),
    marks: [['crm-cell', 6]],
  },
  { name: 'expectedPurchasesChart', make: () => expectedPurchasesChart([{ label: 'actual', t: [0, 1, 2], purchases: [0, 10, 18] }, { label: 'model', t: [0, 1, 2], purchases: [0, 9, 19] }]), marks: [['crm-line', 2]] },
  {
    name: 'survivalChart',
    make: () =>
      survivalChart([
        { label: 'a', time: [1, 2, 4], survival: [0.8, 0.5, 0], lower: [0.6, 0.3, null], upper: [0.9, 0.7, null], censored: [0, 1, 0] },
        { label: 'b', time: new Float64Array([2, 3]), survival: [1, 0.9], censored: [2, 1] },
      ]),
    marks: [['crm-line', 2], ['crm-band', 1], ['crm-censor', 2]],
  },
  {
    name: 'explanationWaterfallChart',
    make: () => explanationWaterfallChart({ base: 0.27, contributions: [0.21, -0.05, 0.12, 0.01, 0.02], featureNames: ['days', 'orders', 'contract', 'a', 'b'], values: [94, 7, 1, Number.NaN, null] }, { maxFeatures: 4 }),
    marks: [['crm-bar', 4], ['crm-base', 1], ['crm-output', 1]],
  },
  {
    name: 'explanationSummaryChart',
    make: () => explanationSummaryChart({ contributions: [[0.2, -0.01, 0], [-0.1, 0.03, 0], [0.05, 0, 0]], featureNames: ['tenure', 'tickets', 'x'] }),
    marks: [['crm-bar', 3]],
  },
  {
    name: 'explanationSummaryChart (beeswarm)',
    make: () => explanationSummaryChart({ contributions: [[0.2, -0.01], [-0.1, 0.03], [0.05, 0]], values: [[2, 0], [40, Number.NaN], [12, 1]] }, { kind: 'beeswarm' }),
    marks: [['crm-point', 6]],
  },
  { name: 'ruleScatterChart', make: () => ruleScatterChart([{ support: 0.01, confidence: 0.5, lift: 2 }, { support: 0.02, confidence: 0.3, lift: 1.2 }, { support: 0.05, confidence: 0.6, lift: 1 }]), marks: [['crm-point', 3]] },
  {
    name: 'treeChart',
    make: () =>
      treeChart({ feature: [0, -1, 1, -1, -1], threshold: [12.5, 0, 70, 0, 0], left: [1, -1, 3, -1, -1], right: [2, -1, 4, -1, -1], value: [0.27, 0.48, 0.17, 0.1, 0.3], count: [1000, 300, 700, 500, 200] }),
    marks: [['crm-split', 2], ['crm-leaf', 3], ['crm-edge', 4]],
  },
];

describe('every chart', () => {
  for (const sample of samples) {
    it(`${sample.name}(data) is one well-formed accessible SVG with the right number of marks`, () => {
      const chart = sample.make();
      expectWellFormed(chart);
      for (const [cls, n] of sample.marks) expect(countClass(chart.svg, cls), cls).toBe(n);
    });
    it(`${sample.name}(data) is deterministic`, () => {
      expect(sample.make().svg).toBe(sample.make().svg);
    });
  }
});

describe('options', () => {
  it('width and height set the SVG size and viewBox; a title replaces the default', () => {
    const chart = rocChart({ fpr: [0, 1], tpr: [0, 1] }, { width: 300, height: 250, title: 'Model A' });
    expect(chart.width).toBe(300);
    expect(chart.svg).toMatch(/^<svg[^>]* width="300" height="250" viewBox="0 0 300 250"/);
    expect(chart.title).toBe('Model A');
    expect(chart.svg).toContain('<title id="crm-');
    expect(chart.svg).toContain('>Model A</title>');
  });

  it('a title too wide for the chart is drawn smaller, then shortened; the accessible name keeps all of it', () => {
    const title = 'Probability that a customer is still alive, by frequency and recency of purchases';
    const chart = segmentSizesChart([{ label: 'a', count: 1 }], { width: 300, title });
    expect(chart.svg).toContain(`>${title}</title>`);
    const drawn = /font-weight="600">([^<]*)<\/text>/.exec(chart.svg);
    expect(drawn?.[1]?.endsWith('…')).toBe(true);
    expect(chart.svg).toMatch(/font-size="11" font-weight="600"/);
    const short = segmentSizesChart([{ label: 'a', count: 1 }], { width: 300, title: 'Sizes' }).svg;
    expect(short).toMatch(/font-size="15" font-weight="600">Sizes<\/text>/);
  });

  it('rejects sizes that are not a number of pixels in range, with invalid_argument at the option', () => {
    for (const width of [0, -5, NaN, 100_000, '640']) {
      expectCrmError(() => segmentSizesChart([{ label: 'a', count: 1 }], { width: width as number }), 'invalid_argument');
    }
  });

  it('two charts on one page get different ids', () => {
    const a = segmentSizesChart([{ label: 'a', count: 1 }]).svg;
    const b = segmentSizesChart([{ label: 'b', count: 1 }]).svg;
    expect(/id="([^"]+)"/.exec(a)?.[1]).not.toBe(/id="([^"]+)"/.exec(b)?.[1]);
  });
});

describe('user text is escaped', () => {
  it('labels, titles and tooltips cannot inject markup', () => {
    const charts = [
      segmentSizesChart([{ label: NASTY, count: 3 }], { title: NASTY, description: NASTY }),
      rocChart([{ label: NASTY, fpr: [0, 1], tpr: [0, 1] }, { label: 'b', fpr: [0, 1], tpr: [0, 1] }]),
      ruleScatterChart([{ label: NASTY, support: 0.1, confidence: 0.2, lift: 1 }]),
      segmentProfilesChart({ segments: [NASTY], features: [NASTY], values: [[1]] }),
      dendrogramChart({ merges: [[0, 1, 1]], labels: [NASTY, 'x'] }),
      featureImportanceChart([{ feature: NASTY, importance: 1 }]),
      treeChart({ feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0.2, 0.8], featureNames: [NASTY] }, { valueLabel: NASTY }),
      rfmHeatmapChart({ values: [[1]], valueLabel: NASTY, recencyLabels: [NASTY], frequencyLabels: [NASTY] }),
    ];
    for (const chart of charts) {
      expectWellFormed(chart);
      expect(chart.svg).not.toContain('<script');
      expect(chart.svg).not.toContain('\u0001');
      expect(chart.svg).toContain('&lt;script&gt;');
    }
  });
});

describe('bad input', () => {
  it('empty, ragged or non-finite data → invalid_input with a path', () => {
    expectCrmError(() => segmentSizesChart([]), 'invalid_input');
    expectCrmError(() => segmentSizesChart([{ label: 'a', count: -1 }]), 'invalid_input');
    expectCrmError(() => rfmHeatmapChart({ values: [[1, 2], [3]] }), 'invalid_input');
    expectCrmError(() => rfmHeatmapChart({ values: [[1, NaN]] }), 'invalid_input');
    expectCrmError(() => rocChart({ fpr: [0, 1], tpr: [0] }), 'invalid_input');
    expectCrmError(() => rocChart({ fpr: [0, 1.2], tpr: [0, 1] }), 'invalid_input');
    expectCrmError(() => elbowChart({ k: [1.5, 2], inertia: [3, 2] }), 'invalid_input');
    expectCrmError(() => silhouetteChart({ k: [2, 3], silhouette: [0.2, 1.4] }), 'invalid_input');
    expectCrmError(() => liftChart({ fraction: [0, 1], lift: [1, 1] }), 'invalid_input');
    expectCrmError(() => probabilityAliveChart({ frequency: [0], recency: [0, 1], values: [[1]] }), 'invalid_input');
    expectCrmError(() => probabilityAliveChart({ frequency: [0], recency: [0], values: [[1.5]] }), 'invalid_input');
    expectCrmError(() => ruleScatterChart([{ support: 2, confidence: 0.5, lift: 1 }]), 'invalid_input');
    expectCrmError(() => somHitMapChart({ counts: [[-1]] }), 'invalid_input');
    expectCrmError(() => featureImportanceChart([{ feature: 'a', importance: Infinity }]), 'invalid_input');
  });

  it('a linkage that is not a binary tree → invalid_input naming the merge', () => {
    try {
      dendrogramChart({ merges: [[0, 1, 1], [0, 2, 2]] });
      throw new Error('expected a CrmError');
    } catch (e) {
      expect(isCrmError(e) && e.code).toBe('invalid_input');
      expect(isCrmError(e) && e.path).toEqual(['merges', 1, 0]);
    }
    expectCrmError(() => dendrogramChart({ merges: [[0, 5, 1]] }), 'invalid_input');
    expectCrmError(() => dendrogramChart({ merges: [[0, 1, -1]] }), 'invalid_input');
    expectCrmError(() => dendrogramChart({ merges: [[0, 1, 1]], labels: ['a'] }), 'invalid_input');
  });

  it('a chosen k not among the k values → invalid_argument', () => {
    expectCrmError(() => elbowChart({ k: [1, 2], inertia: [2, 1] }, { chosenK: 7 }), 'invalid_argument');
  });

  it('never mutates its input', () => {
    const data = deepFreeze({ segments: ['a', 'b'], features: ['x'], values: [[1], [2]] });
    expect(() => segmentProfilesChart(data)).not.toThrow();
    const rules = deepFreeze([{ support: 0.1, confidence: 0.5, lift: 2 }, { support: 0.2, confidence: 0.4, lift: 1 }]);
    expect(() => ruleScatterChart(rules)).not.toThrow();
    const imp = deepFreeze([{ feature: 'b', importance: 1 }, { feature: 'a', importance: 2 }]);
    expect(() => featureImportanceChart(imp)).not.toThrow();
    expect(imp[0]?.feature).toBe('b');
    const merges = deepFreeze([[0, 1, 1], [2, 3, 2]]);
    expect(() => dendrogramChart({ merges })).not.toThrow();
  });
});

describe('chart specifics', () => {
  it('dendrogramChart(merges, { maxLeaves }) folds early merges into leaves that show their size', () => {
    // Seven observations merged in a chain: 0+1, then +2, … The last two merges leave three leaves.
    const merges = [[0, 1, 1], [2, 7, 2], [3, 8, 3], [4, 9, 4], [5, 10, 5], [6, 11, 6]];
    const svg = dendrogramChart({ merges }, { maxLeaves: 3 }).svg;
    expect(countClass(svg, 'crm-leaf')).toBe(3);
    expect(svg).toContain('>(5)</text>'); // cluster 11 = observations 0…4
  });

  it('dendrogram colours as many clusters as the cut makes', () => {
    const svg = dendrogramChart({ merges: [[0, 1, 0.5], [2, 3, 0.8], [4, 5, 2]] }, { cutHeight: 1 }).svg;
    expect(svg).toContain('2 clusters');
  });

  it('SOM maps draw hexagons with odd rows shifted when asked', () => {
    const square = somHitMapChart({ counts: [[1, 2], [3, 4]] }).svg;
    expect(square.match(/<rect class="crm-cell"/g)?.length).toBe(4);
    const hex = somHitMapChart({ counts: [[1, 2], [3, 4]] }, { hexagonal: true }).svg;
    expect(xmlProblems(hex)).toEqual([]);
    expect(hex.match(/<polygon class="crm-cell" points="([^"]+)"/g)?.length).toBe(4);
    const centresX = [...hex.matchAll(/<polygon class="crm-cell" points="([\d.]+),/g)].map((m) => Number(m[1]));
    // The top vertex is the centre: row 1 is shifted right by half a cell.
    expect((centresX[2] ?? 0) - (centresX[0] ?? 0)).toBeCloseTo(((centresX[1] ?? 0) - (centresX[0] ?? 0)) / 2, 1);
    expectCrmError(() => somUMatrixChart({ distances: [[1]] }, { hexagonal: 'yes' as unknown as boolean }), 'invalid_argument');
  });

  it('featureImportanceChart sorts largest first and keeps maxFeatures', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ feature: `f${i}`, importance: i }));
    const svg = featureImportanceChart(items, { maxFeatures: 5 }).svg;
    expect(countClass(svg, 'crm-bar')).toBe(5);
    expect(svg.indexOf('>f29<')).toBeLessThan(svg.indexOf('>f25<'));
    expect(svg).not.toContain('>f24<');
  });

  it('ruleScatterChart draws at most maxRules, the highest lifts', () => {
    const rules = Array.from({ length: 50 }, (_, i) => ({ label: `r${i}`, support: 0.01 + i / 1000, confidence: 0.5, lift: 1 + i / 10 }));
    const svg = ruleScatterChart(rules, { maxRules: 10 }).svg;
    expect(countClass(svg, 'crm-point')).toBe(10);
    expect(svg).toContain('r49:');
    expect(svg).not.toContain('r39:');
  });

  it('ruleScatterChart puts support on a log axis when it spans a factor of 8 or more', () => {
    const rules = [0.005, 0.01, 0.02, 0.05].map((support, i) => ({ support, confidence: 0.3 + i / 10, lift: 1 + i }));
    const auto = ruleScatterChart(rules).svg;
    expect(auto).toContain('Support (log scale)');
    // Log axis: 0.01 sits halfway (in pixels) between 0.005 and 0.02.
    const xs = [...auto.matchAll(/<circle class="crm-point" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(4);
    const [a = 0, b = 0, c = 0] = xs; // drawn from low to high lift, which here is low to high support
    expect(b - a).toBeCloseTo(c - b, 0);
    expect(ruleScatterChart(rules, { supportScale: 'linear' }).svg).not.toContain('log scale');
    expect(ruleScatterChart(rules.slice(1, 3)).svg).not.toContain('log scale');
    expectCrmError(() => ruleScatterChart([{ support: 0, confidence: 0.5, lift: 1 }], { supportScale: 'log' }), 'invalid_input');
  });

  it('curves of many thousand thresholds stay small (points closer than a pixel are dropped)', () => {
    const n = 20_000;
    const fpr = Array.from({ length: n }, (_, i) => i / (n - 1));
    const tpr = fpr.map((x) => Math.sqrt(x));
    const chart = rocChart({ fpr, tpr });
    expectWellFormed(chart);
    expect(chart.svg.length).toBeLessThan(40_000);
  });

  it('segmentSizesChart shows counts with their share', () => {
    const svg = segmentSizesChart([{ label: 'a', count: 1500 }, { label: 'b', count: 500 }]).svg;
    expect(svg).toContain('1,500 (75.0%)');
    expect(svg).toContain('500 (25.0%)');
  });

  it('heatmap column labels: many short ones are thinned out, a few long ones wrap, unbreakable ones turn vertical', () => {
    const recency = Array.from({ length: 40 }, (_, i) => i * 2.5);
    const numeric = probabilityAliveChart({ frequency: [0, 1], recency, values: [recency.map(() => 1), recency.map(() => 0.5)] }).svg;
    expect(numeric).not.toMatch(/text-anchor="end" font-size="11" transform="rotate\(-90/);
    const shown = recency.filter((r) => numeric.includes(`font-size="11">${r}</text>`));
    expect(shown.length).toBeGreaterThanOrEqual(4);
    expect(shown.length).toBeLessThan(recency.length);
    const long = segmentProfilesChart({ segments: ['a', 'b'], features: ['days since the last order', 'orders in the last year', 'total spend to date'], values: [[1, 2, 3], [2, 3, 4]] }, { width: 400 }).svg;
    expect(long).not.toMatch(/text-anchor="end" font-size="11" transform="rotate\(-90/);
    expect(long).toContain('<tspan x="');
    for (const word of ['days', 'since', 'order', 'spend']) expect(long).toMatch(new RegExp(`<tspan[^>]*>[^<]*\\b${word}\\b`));
    const unbreakable = segmentProfilesChart({ segments: ['a', 'b'], features: ['MonthlyChargesInDollarsBeforeTax', 'TotalChargesInDollarsBeforeTax'], values: [[1, 2], [2, 3]] }, { width: 300 }).svg;
    expect(unbreakable.match(/text-anchor="end" font-size="11" transform="rotate\(-90/g)?.length).toBe(2);
  });

  it('long row labels keep up to 40% of the width before they are shortened', () => {
    const label = 'high spending score, high income (k$)';
    expect(segmentSizesChart([{ label, count: 3 }], { width: 720 }).svg).toContain(`>${label}</text>`);
    const narrow = segmentSizesChart([{ label, count: 3 }], { width: 300 }).svg;
    expect(narrow).not.toContain(`>${label}</text>`);
    expect(narrow).toContain('…</text>');
  });

  it('large heatmaps thin their labels instead of overlapping them', () => {
    const frequency = Array.from({ length: 60 }, (_, i) => i);
    const recency = Array.from({ length: 60 }, (_, i) => i);
    const values = frequency.map(() => recency.map(() => 0.5));
    const svg = probabilityAliveChart({ frequency, recency, values }).svg;
    expect(countClass(svg, 'crm-cell')).toBe(3600);
    const rowLabels = svg.match(/text-anchor="end" font-size="11">\d+<\/text>/g) ?? [];
    expect(rowLabels.length).toBeLessThan(40);
  });
});

describe('properties', () => {
  const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true });
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const label = fc.string({ maxLength: 30 });

  it('any finite matrix gives a well-formed heatmap without NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.array(finite, { minLength: 144, maxLength: 144 }), (rows, cols, pool) => {
        const values = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => pool[i * 12 + j] ?? 0));
        const chart = rfmHeatmapChart({ values });
        expect(xmlProblems(chart.svg)).toEqual([]);
        expect(chart.svg).not.toMatch(/NaN|Infinity|undefined/);
        expect(countClass(chart.svg, 'crm-cell')).toBe(rows * cols);
      }),
      { numRuns: 60 },
    );
  });

  it('any curves of rates give a well-formed ROC chart with one line each', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(unit, unit), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }), (curves) => {
        const chart = rocChart(curves.map((points, i) => ({ label: `m${i}`, fpr: points.map((p) => p[0]), tpr: points.map((p) => p[1]) })));
        expect(xmlProblems(chart.svg)).toEqual([]);
        expect(chart.svg).not.toMatch(/NaN|Infinity|undefined/);
        expect(countClass(chart.svg, 'crm-line')).toBe(curves.length);
      }),
      { numRuns: 60 },
    );
  });

  it('any labels and counts give a well-formed bar chart that shows every label escaped', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ label, count: fc.double({ min: 0, max: 1e9, noNaN: true }) }), { minLength: 1, maxLength: 15 }), (items) => {
        const chart = segmentSizesChart(items);
        expect(xmlProblems(chart.svg)).toEqual([]);
        expect(chart.svg).not.toMatch(/NaN|Infinity|undefined/);
        expect(countClass(chart.svg, 'crm-bar')).toBe(items.length);
      }),
      { numRuns: 60 },
    );
  });

  it('any valid linkage gives a dendrogram with min(n, maxLeaves) leaves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 2, max: 40 }), fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 60, maxLength: 60 }), fc.nat(), (n, maxLeaves, heights, seed) => {
        // Random binary tree: repeatedly merge two random active clusters.
        let active = Array.from({ length: n }, (_, i) => i);
        let state = seed;
        const next = (k: number): number => ((state = (state * 1103515245 + 12345) % 2147483648), state % k);
        const merges: number[][] = [];
        for (let m = 0; m < n - 1; m++) {
          const a = active.splice(next(active.length), 1)[0] as number;
          const b = active.splice(next(active.length), 1)[0] as number;
          merges.push([a, b, heights[m] ?? 0]);
          active.push(n + m);
        }
        const chart = dendrogramChart({ merges }, { maxLeaves });
        expect(xmlProblems(chart.svg)).toEqual([]);
        expect(chart.svg).not.toMatch(/NaN|Infinity|undefined/);
        expect(countClass(chart.svg, 'crm-leaf')).toBe(Math.min(n, maxLeaves));
      }),
      { numRuns: 60 },
    );
  });
});

describe('chart options go through the shared reader', () => {
  /** Every chart with minimal data; a chart missing here fails the registration check below. */
  const calls: Record<string, (options: object) => Chart> = {
    rfmHeatmapChart: (o) => rfmHeatmapChart({ values: [[1, 2], [3, 4]] }, o),
    cohortHeatmapChart: (o) => cohortHeatmapChart({ cohorts: [{ label: 'a', retention: [1, 0.5] }, { label: 'b', retention: [1, null] }] }, o),
    retentionCurvesChart: (o) => retentionCurvesChart({ cohorts: [{ label: 'a', retention: [1, 0.5] }] }, o),
    segmentSizesChart: (o) => segmentSizesChart([{ label: 'a', count: 1 }], o),
    segmentProfilesChart: (o) => segmentProfilesChart({ segments: ['a', 'b'], features: ['x'], values: [[1], [2]] }, o),
    elbowChart: (o) => elbowChart({ k: [1, 2], inertia: [2, 1] }, o),
    silhouetteChart: (o) => silhouetteChart({ k: [2, 3], silhouette: [0.2, 0.3] }, o),
    dendrogramChart: (o) => dendrogramChart({ merges: [[0, 1, 1]] }, o),
    treeChart: (o) => treeChart({ feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0.2, 0.8] }, o),
    somUMatrixChart: (o) => somUMatrixChart({ distances: [[0.1, 0.2]] }, o),
    somHitMapChart: (o) => somHitMapChart({ counts: [[1, 2]] }, o),
    rocChart: (o) => rocChart({ fpr: [0, 1], tpr: [0, 1] }, o),
    precisionRecallChart: (o) => precisionRecallChart({ recall: [0, 1], precision: [1, 0.5] }, o),
    gainsChart: (o) => gainsChart({ fraction: [0.5, 1], gain: [0.7, 1] }, o),
    liftChart: (o) => liftChart({ fraction: [0.5, 1], lift: [1.4, 1] }, o),
    calibrationChart: (o) => calibrationChart({ predicted: [0.2, 0.8], observed: [0.3, 0.7] }, o),
    featureImportanceChart: (o) => featureImportanceChart([{ feature: 'x', importance: 1 }], o),
    probabilityAliveChart: (o) => probabilityAliveChart({ frequency: [0, 1], recency: [0, 1], values: [[1, 1], [0.5, 0.9]] }, o),
    expectedPurchasesChart: (o) => expectedPurchasesChart({ t: [0, 1], purchases: [0, 1] }, o),
    ruleScatterChart: (o) => ruleScatterChart([{ support: 0.1, confidence: 0.5, lift: 2 }], o),
    survivalChart: (o) => survivalChart({ time: [1, 2], survival: [0.5, 0.25] }, o),
    explanationWaterfallChart: (o) => explanationWaterfallChart({ base: 0.2, contributions: [0.1, -0.05] }, o),
    explanationSummaryChart: (o) => explanationSummaryChart({ contributions: [[0.1, -0.05]] }, o),
    periodTransactionsChart: (o) => periodTransactionsChart({ actual: [3, 1], expected: [2.5, 1.5] }, o),
    holdoutPurchasesChart: (o) => holdoutPurchasesChart({ frequency: [0, 1], actual: [0.2, 0.8], predicted: [0.3, 0.7] }, o),
    transactionTrackingChart: (o) => transactionTrackingChart({ period: [0, 1], actual: [0, 2], expected: [0.5, 1.8], calibrationEnd: 1 }, o),
    purchaseMatrixChart: (o) => purchaseMatrixChart({ frequency: [0, 1], recency: [0, 1], values: [[0.1, 0.1], [0.5, 2.5]] }, o),
    aliveHistoryChart: (o) => aliveHistoryChart({ period: [0, 1], probabilityAlive: [1, 0.9], purchased: [true, false] }, o),
  };

  it('every exported chart function is registered here', async () => {
    const charts = await import('@crm/core/charts');
    const exported = Object.entries(charts).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort();
    expect(exported).toEqual(Object.keys(calls).sort());
  });

  for (const [name, call] of Object.entries(calls)) {
    it(`${name} rejects a misspelled option ('widht') with invalid_argument at ['options', 'widht']`, () => {
      expect(call({}).svg.startsWith('<svg')).toBe(true);
      try {
        call({ widht: 400 });
        expect.unreachable();
      } catch (e) {
        expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_argument', ['options', 'widht']]);
      }
    });
  }

  it('options of one chart are unknown to another (chosenK on a ROC chart), and label texts must be strings', () => {
    expectCrmError(() => rocChart({ fpr: [0, 1], tpr: [0, 1] }, { chosenK: 2 } as never), 'invalid_argument');
    expectCrmError(() => rocChart({ fpr: [0, 1], tpr: [0, 1] }, { xLabel: 5 } as never), 'invalid_argument');
  });
});

describe('charts of a single tiny value', () => {
  it('ruleScatterChart with every confidence at 5e-324 draws (the padding of a one-value axis never vanishes)', () => {
    const chart = ruleScatterChart([{ support: 0.1, confidence: 5e-324, lift: 1 }]);
    expect(chart.svg.startsWith('<svg')).toBe(true);
  });
});

describe('survivalChart', () => {
  it('draws a step curve from (0, 1) through every drop, and a band polygon per run of defined band values', () => {
    const chart = survivalChart({ time: [1, 2, 3, 4], survival: [0.75, 0.5, 0.25, 0], lower: [0.5, null, 0.1, 0], upper: [0.9, null, 0.4, 0] });
    const d = /class="crm-line"[^>]* d="([^"]+)"/.exec(chart.svg)?.[1] ?? '';
    // Start, then two points per time (before and after the drop), then the end: 1 + 2·4 + 1.
    expect(d.split(/[ML]/).filter(Boolean)).toHaveLength(10);
    expect(countClass(chart.svg, 'crm-band')).toBe(2);
    expect(chart.svg).not.toMatch(/NaN|Infinity|undefined/);
  });
  it('thins a curve of 100,000 times to what the pixels show', () => {
    const n = 100_000;
    const time = Array.from({ length: n }, (_, i) => i + 1);
    const survival = time.map((t) => Math.exp(-t / n));
    const chart = survivalChart({ time, survival, lower: survival.map((s) => s * 0.99), upper: survival.map((s) => Math.min(1, s * 1.01)), censored: time.map((t) => t % 2) });
    expect(chart.svg.length).toBeLessThan(200_000);
  });
  it('bands and ticks can be turned off; bad curves are CrmErrors', () => {
    const curve = { time: [1, 2], survival: [0.5, 0.25], lower: [0.3, 0.1], upper: [0.7, 0.4], censored: [1, 1] };
    const plain = survivalChart(curve, { bands: false, censorTicks: false });
    expect(countClass(plain.svg, 'crm-band')).toBe(0);
    expect(countClass(plain.svg, 'crm-censor')).toBe(0);
    expectCrmError(() => survivalChart({ time: [2, 1], survival: [0.5, 0.25] }), 'invalid_input');
    expectCrmError(() => survivalChart({ time: [1, 2], survival: [0.5, 1.25] }), 'invalid_input');
    expectCrmError(() => survivalChart({ time: [1, 2], survival: [0.5, 0.25], lower: [0.1] }), 'invalid_input');
    expectCrmError(() => survivalChart(curve, { bands: 'yes' } as never), 'invalid_argument');
  });
});

describe('cohort charts draw censored cells as missing, never as 0', () => {
  it('cohortHeatmapChart: censored cells are blank with a slash and carry no value; partial cells are outlined', () => {
    const svg = cohortHeatmapChart(cohortTable).svg;
    expect(countClass(svg, 'crm-cell crm-missing')).toBe(3);
    expect(svg).toContain('2024-02, period 3: not observed (censored)');
    expect(svg).toContain('2024-01, period 3: 30% (partly observed, a lower bound)');
    // Without a status, null alone marks a censored cell; a 0 is a value and is coloured.
    const zero = cohortHeatmapChart({ cohorts: [{ label: 'a', retention: [1, 0] }, { label: 'b', retention: [1, null] }] }).svg;
    expect(countClass(zero, 'crm-cell crm-missing')).toBe(1);
    expect(zero).toContain('a, period 1: 0.0%');
  });

  it('cohortHeatmapChart: other metrics, and bad data is a CrmError', () => {
    const svg = cohortHeatmapChart({ cohorts: [{ label: 'a', active: [781, 124] }, { label: 'b', active: [600, null] }] }, { metric: 'active' }).svg;
    expect(svg).toContain('a, period 1: 124');
    expectCrmError(() => cohortHeatmapChart({ cohorts: [] }), 'invalid_input');
    expectCrmError(() => cohortHeatmapChart({ cohorts: [{ label: 'a', retention: [1, NaN] }] }), 'invalid_input');
    expectCrmError(() => cohortHeatmapChart({ cohorts: [{ label: 'a', retention: [1, 0.5] }, { label: 'b', retention: [1] }] }), 'invalid_input');
    expectCrmError(() => cohortHeatmapChart({ cohorts: [{ label: 'a', retention: [null] }] }), 'invalid_input');
    expectCrmError(() => cohortHeatmapChart({ cohorts: [{ label: 'a', retention: [1] }] }, { metric: 'ltv' as never }), 'invalid_argument');
  });

  it('retentionCurvesChart: a line stops before the first partial or censored period', () => {
    const svg = retentionCurvesChart(cohortTable).svg;
    const series = [...svg.matchAll(/<g class="crm-series" data-label="([^"]+)">(.*?)<\/g>/g)].map((m) => [m[1], countClass(m[2]!, 'crm-point')]);
    expect(series).toEqual([['2024-01', 3], ['2024-02', 2], ['2024-03', 1]]);
    expectCrmError(() => retentionCurvesChart({ cohorts: [{ label: 'a', retention: [null, null] }] }), 'invalid_input');
  });
});
