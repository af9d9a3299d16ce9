// DecisionTree.toText against scikit-learn 1.2.1's export_text (fixtures/export_text_reference.py):
// (1) sklearn's DecisionTreeClassifier(max_depth=6) on the Telco training rows, loaded into @crm from
// its node arrays, printed in several formats: the text of the same tree, character for character.
// (Our own depth-6 fit differs from sklearn's in five splits that tie exactly with another column,
// complementary one-hot columns within a node: sklearn breaks ties by a random feature order, we by
// the lowest column.) (2) The depth-2 tree, which no tie decides (same for 50 sklearn seeds), fitted
// by @crm.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeatureTransformer, type FeatureSpec } from '@crm/core';
import { DecisionTree, RandomForest } from '@crm/churn';
import { formatFixed } from '../src/internal/tree-text.ts';
import { expectCrmError } from './helpers.ts';
import { NUMERIC, loadTelco, pick } from './telco.ts';

interface Case {
  readonly args: { max_depth?: number; decimals?: number; spacing?: number; show_weights?: boolean };
  readonly featureNames: boolean;
  readonly text: string;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/export_text_reference.json', import.meta.url), 'utf8')) as {
  featureNames: string[];
  nodeCount: number;
  tree: unknown;
  cases: Case[];
  depth2: { text: string };
};

const telco = loadTelco();
const spec: FeatureSpec = {
  columns: [
    ...NUMERIC.map((name) => ({ name, type: 'numeric' as const, scale: 'standard' as const })),
    ...telco.categorical.map((name) => ({ name, type: 'categorical' as const, unseen: 'ignore' as const })),
  ],
};
const trainRecords = pick(telco.records, telco.train);
const XTrain = FeatureTransformer.fit(trainRecords, spec).transform(trainRecords);
const yTrain = pick(telco.y, telco.train);
const tree = DecisionTree.fromJSON(ref.tree);

describe("DecisionTree.toText equals scikit-learn's export_text on the Telco depth-6 tree", () => {
  it('is the tree sklearn fitted, and ours of depth 6 has as many nodes', () => {
    expect(tree.nodeCount).toBe(ref.nodeCount);
    expect(DecisionTree.fit(XTrain, yTrain, { maxDepth: 6 }).nodeCount).toBe(ref.nodeCount);
  });

  it('a tree fitted by @crm to depth 2 prints exactly as sklearn prints its own', () => {
    expect(DecisionTree.fit(XTrain, yTrain, { maxDepth: 2 }).toText(ref.featureNames)).toBe(ref.depth2.text);
  });

  for (const c of ref.cases) {
    const options = {
      ...(c.args.max_depth !== undefined && { maxDepth: c.args.max_depth }),
      ...(c.args.decimals !== undefined && { decimals: c.args.decimals }),
      ...(c.args.spacing !== undefined && { spacing: c.args.spacing }),
      ...(c.args.show_weights !== undefined && { showWeights: c.args.show_weights }),
    };
    it(`export_text(tree${c.featureNames ? ', feature_names' : ''}, ${JSON.stringify(c.args)}) character for character`, () => {
      expect(tree.toText(c.featureNames ? ref.featureNames : undefined, options)).toBe(c.text);
    });
  }

  it('a leaf at probability exactly 0.5 is class 0 (numpy argmax takes the first of equal counts)', () => {
    const stump = DecisionTree.fit([[0], [0], [1], [1]], [0, 1, 1, 1], { maxDepth: 1 });
    expect(stump.toText(['x'])).toBe('|--- x <= 0.50\n|   |--- class: 0\n|--- x >  0.50\n|   |--- class: 1\n');
  });

  it('showWeights on a tree saved without node covers (format 1) is an invalid_argument error', () => {
    const json = JSON.parse(JSON.stringify(ref.tree));
    json.version = 1;
    delete json.tree.cover;
    expectCrmError(() => DecisionTree.fromJSON(json).toText(undefined, { showWeights: true }), 'invalid_argument', ['options', 'showWeights']);
    expect(DecisionTree.fromJSON(json).toText()).toBe(ref.cases[0]?.text);
  });

  it('a single-leaf tree, maxDepth 0 and bad names or options', () => {
    const deep = DecisionTree.fit([[1], [2], [3], [4]], [0, 1, 0, 1]);
    expect(deep.toText(undefined, { maxDepth: 0 })).toMatch(/^\|--- feature_0 <= 1\.50\n\|   \|--- class: 0\n\|--- feature_0 >  1\.50\n\|   \|--- truncated branch of depth \d\n$/);
    expectCrmError(() => tree.toText(['a', 'b']), 'invalid_argument', ['featureNames']);
    expectCrmError(() => tree.toText(undefined, { spacing: 0 }), 'invalid_argument', ['options', 'spacing']);
    expectCrmError(() => tree.toText(undefined, { decimal: 2 } as never), 'invalid_argument', ['options', 'decimal']);
  });
});

describe("formatFixed rounds as Python's '{:.Nf}'.format (half to even on the exact binary value)", () => {
  // Expected strings printed by Python 3.11 for each (x, N).
  const cases: [number, number, string][] = [
    [0.125, 2, '0.12'], [0.375, 2, '0.38'], [2.5, 0, '2'], [3.5, 0, '4'], [-2.5, 0, '-2'], [-0, 2, '-0.00'],
    [-0.001, 2, '-0.00'], [1e22, 2, '10000000000000000000000.00'], [0.1 + 0.2, 17, '0.30000000000000004'],
    [5e-324, 3, '0.000'], [1.005, 2, '1.00'], [-1.1842717, 4, '-1.1843'], [123456.789, 1, '123456.8'], [0.5, 0, '0'], [1.5, 0, '2'],
  ];
  for (const [x, n, s] of cases) it(`formatFixed(${x}, ${n}) = '${s}'`, () => expect(formatFixed(x, n)).toBe(s));
});

describe('DecisionTree.toText: the TSDoc example prints what its comment says', () => {
  it('splits tenure at 2.50 with class 1 on the left', () => {
    const t = DecisionTree.fit([[1, 20], [2, 35], [3, 50], [4, 22]], [1, 1, 0, 0]);
    expect(t.toText(['tenure', 'age'])).toBe('|--- tenure <= 2.50\n|   |--- class: 1\n|--- tenure >  2.50\n|   |--- class: 0\n');
  });
});

describe('RandomForest.toText: one export_text per tree', () => {
  it("each tree's text is the text of that tree alone, loaded as a DecisionTree", () => {
    const forest = RandomForest.fit(XTrain.slice(0, 600), yTrain.slice(0, 600), { trees: 4, maxDepth: 3, seed: 3 });
    const texts = forest.toText(ref.featureNames, { decimals: 3 });
    expect(texts).toHaveLength(4);
    const json = forest.toJSON();
    json.trees.forEach((tree, k) => {
      const single = DecisionTree.fromJSON({ kind: 'crm.churn.decision-tree', version: json.version, options: { criterion: 'gini', maxDepth: 3, minSamplesSplit: 2, minSamplesLeaf: 1, minImpurityDecrease: 0, classWeight: null }, nFeatures: 45, featureImportances: new Array(45).fill(0), tree });
      expect(texts[k]).toBe(single.toText(ref.featureNames, { decimals: 3 }));
    });
    expect(new Set(texts).size).toBeGreaterThan(1);
    expectCrmError(() => forest.toText(['a']), 'invalid_argument', ['featureNames']);
  });
});

describe('RandomForest.toText: the TSDoc example prints what its comment says', () => {
  it('three texts, each starting with a branch or leaf line', () => {
    const texts = RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 3, seed: 1 }).toText(['tenure'], { maxDepth: 2 });
    expect(texts).toHaveLength(3);
    expect(texts[0]?.startsWith('|--- ')).toBe(true);
  });
});
