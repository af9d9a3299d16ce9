import { describe, expect, it } from 'vitest';
import { treeChart, type TreeChartData } from '@crm/core/charts';
import { crmCode } from '../../../test/crm-error.ts';

const count = (svg: string, name: string): number => svg.split(`class="${name}"`).length - 1;

/** A complete tree of the given depth on feature = depth, values rising from left to right. */
function complete(depth: number): TreeChartData {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const grow = (d: number): number => {
    const i = feature.length;
    feature.push(d < depth ? d : -1);
    threshold.push(d < depth ? 0.5 : 0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    if (d < depth) {
      left[i] = grow(d + 1);
      right[i] = grow(d + 1);
    }
    value[i] = i / 100;
    return i;
  };
  grow(0);
  return { feature, threshold, left, right, value, count: value.map(() => 10) };
}

describe('treeChart(data, options)', () => {
  it('draws every split and leaf down to maxDepth and folds deeper subtrees into one box each', () => {
    const data = complete(5);
    const full = treeChart(data, { maxDepth: 5 }).svg;
    expect([count(full, 'crm-split'), count(full, 'crm-leaf')]).toEqual([31, 32]);
    const folded = treeChart(data, { maxDepth: 2 }).svg;
    expect([count(folded, 'crm-split'), count(folded, 'crm-leaf')]).toEqual([3, 4]);
    expect(folded).toContain('… P(class 1)');
  });

  it('writes the rule with the feature name, ≤ (or < when strict), and yes/no on the branches', () => {
    const stump = { feature: [0, -1, -1], threshold: [12.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.3, 0.6, 0.1], featureNames: ['tenure'] };
    const svg = treeChart(stump, { valueLabel: 'P(churn)' }).svg;
    expect(svg).toContain('tenure ≤ 12.5');
    expect(svg).toContain('>yes<');
    expect(svg).toContain('>no<');
    expect(svg).toContain('P(churn) 0.6');
    expect(treeChart({ ...stump, strict: true }).svg).toContain('tenure &lt; 12.5');
  });

  it('does not change its input', () => {
    const data = complete(3);
    const copy = JSON.parse(JSON.stringify(data));
    treeChart(Object.freeze(data));
    expect(data).toEqual(copy);
  });

  it('arrays that are not one tree, non-finite values or a tree too wide → CrmError with a path', () => {
    const stump = { feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0.2, 0.8] };
    expect(crmCode(() => treeChart({ ...stump, right: [1, -1, -1] }))).toEqual(['invalid_input', ['right', 0]]);
    expect(crmCode(() => treeChart({ ...stump, left: [0, -1, -1] }))).toEqual(['invalid_input', ['left', 0]]);
    expect(crmCode(() => treeChart({ ...stump, left: [7, -1, -1] }))).toEqual(['invalid_input', ['left', 0]]);
    expect(crmCode(() => treeChart({ ...stump, value: [0.5, NaN, 0.8] }))).toEqual(['invalid_input', ['value', 1]]);
    expect(crmCode(() => treeChart({ ...stump, count: [1, 2] }))).toEqual(['invalid_input', ['count']]);
    expect(crmCode(() => treeChart({ ...stump, feature: [3, -1, -1], featureNames: ['a'] }))).toEqual(['invalid_input', ['feature', 0]]);
    expect(crmCode(() => treeChart(complete(7), { maxDepth: 7 }))).toEqual(['invalid_argument', ['options', 'maxDepth']]);
    expect(crmCode(() => treeChart(stump, { maxDepht: 2 } as never))).toEqual(['invalid_argument', ['options', 'maxDepht']]);
    expect(crmCode(() => treeChart(null as never))).toEqual(['invalid_input', ['feature']]);
  });
});
