import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuleSegments, crossSegments, profileSegments } from '@crm/segment';
import { loadMall, loadMallReference } from './helpers.ts';

// pandas 1.5.3 `pd.cut`, `Series.map` and `pd.crosstab` on the Mall data, computed by
// test/fixtures/rule_segments_reference.py (see the fixtures README). Labels and counts are exact;
// means are compared to 1e-12 relative: both sides sum the same ≤ 200 integers below 2^53 exactly and
// divide once, so any difference would be a different grouping, not rounding.
interface RuleReference {
  power: string[];
  stage: string[];
  gender: string[];
  power_x_stage: Record<string, number>;
  power_x_kmeans5: Record<string, number>;
  means_power_stage: Record<string, { income: number; score: number }>;
}
const reference = JSON.parse(readFileSync(new URL('./fixtures/rule_segments_reference.json', import.meta.url), 'utf8')) as RuleReference;
const MEAN_TOLERANCE = 1e-12;

const { X, age, genre } = loadMall();
const customers = X.map(([income, score], i) => ({ income, score, age: age[i], genre: genre[i] }));

// pd.cut(income, [-inf, 40, 70, inf], right=True) and pd.cut(age, [-inf, 35, 55, inf], right=False),
// written the way a CRM team writes them: explicit edges, and whole years for age.
const rules = RuleSegments.define({
  rules: [
    {
      key: 'power',
      type: 'bands',
      field: 'income',
      bands: [
        { label: 'C', max: 40, maxInclusive: true },
        { label: 'B', min: 40, minInclusive: false, max: 70, maxInclusive: true },
        { label: 'A', min: 70, minInclusive: false },
      ],
    },
    {
      key: 'stage',
      type: 'bands',
      field: 'age',
      integer: true,
      bands: [
        { label: 'young', min: 18, max: 34, maxInclusive: true },
        { label: 'adult', min: 35, max: 54, maxInclusive: true },
        { label: 'senior', min: 55 },
      ],
    },
    { key: 'gender', type: 'map', field: 'genre', map: { Female: 'F', Male: 'M' } },
  ],
});

const counts = (s: { legend: readonly string[]; counts: readonly number[] }): Record<string, number> =>
  Object.fromEntries(s.legend.map((name, k) => [name, s.counts[k] as number]));

describe('rule segments on Mall equal pandas (pd.cut, map, crosstab)', () => {
  const result = rules.apply(customers);

  it('labels every customer as pandas does, edges of 40 and 70 k$ and ages 34/35, 54/55 included', () => {
    expect(result.issues).toEqual([]);
    expect(result.byRule[0]).toEqual(reference.power);
    expect(result.byRule[1]).toEqual(reference.stage);
    expect(result.byRule[2]).toEqual(reference.gender);
    // The edges do occur in the data, so the test would see an edge put in the wrong band.
    expect(X.some(([income]) => income === 40) && X.some(([income]) => income === 70)).toBe(true);
    expect([34, 35, 54, 55].every((a) => age.includes(a))).toBe(true);
  });

  it('crosses power with life stage and with the scikit-learn k-means clusters as pd.crosstab counts them', () => {
    const powerStage = RuleSegments.define({ rules: [rules.rules[0]!, rules.rules[1]!] }).apply(customers);
    expect(counts(powerStage)).toEqual(reference.power_x_stage);
    expect(powerStage.legend).toEqual(['C / young', 'C / adult', 'C / senior', 'B / young', 'B / adult', 'B / senior', 'A / young', 'A / adult', 'A / senior']);
    const kmeans = loadMallReference().kmeans5.labels;
    const power = RuleSegments.define({ rules: [rules.rules[0]!] }).apply(customers);
    const crossed = crossSegments(power, kmeans);
    expect(counts(crossed)).toEqual(reference.power_x_kmeans5);
  });

  it('profiles the power × stage segments with the means pandas groupby gives', () => {
    const powerStage = RuleSegments.define({ rules: [rules.rules[0]!, rules.rules[1]!] }).apply(customers);
    const profiles = profileSegments(customers, powerStage.labels, { featureNames: ['income', 'score'] });
    expect(profiles.segments).toHaveLength(Object.keys(reference.means_power_stage).length);
    for (const s of profiles.segments) {
      const want = reference.means_power_stage[powerStage.legend[s.label] as string]!;
      expect(Math.abs((s.mean['income'] as number) - want.income)).toBeLessThanOrEqual(MEAN_TOLERANCE * want.income);
      expect(Math.abs((s.mean['score'] as number) - want.score)).toBeLessThanOrEqual(MEAN_TOLERANCE * want.score);
    }
  });
});
