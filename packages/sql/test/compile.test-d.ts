// @crm/sql describes model JSON structurally, so its published types never need @crm/churn:
// what churn's toJSON() returns (and the models themselves) must fit those shapes.
import { expectTypeOf, test } from 'vitest';
import { FeatureTransformer, type FeatureTransformerJson } from '@crm/core';
import {
  DecisionTree,
  LogisticRegression,
  RandomForest,
  type DecisionTreeJson,
  type LogisticRegressionJson,
  type RandomForestJson,
  type TreeJson,
} from '@crm/churn';
import type {
  DecisionTreeJsonLike,
  FeatureTransformerJsonLike,
  LogisticRegressionJsonLike,
  ModelInput,
  RandomForestJsonLike,
  ScoreModel,
  ScoreSqlOptions,
  TreeJsonLike,
} from '@crm/sql';

test("churn's model JSON types are assignable to the shapes @crm/sql compiles", () => {
  expectTypeOf<LogisticRegressionJson>().toMatchTypeOf<LogisticRegressionJsonLike>();
  expectTypeOf<DecisionTreeJson>().toMatchTypeOf<DecisionTreeJsonLike>();
  expectTypeOf<RandomForestJson>().toMatchTypeOf<RandomForestJsonLike>();
  expectTypeOf<TreeJson>().toMatchTypeOf<TreeJsonLike>();
  expectTypeOf<FeatureTransformerJson>().toMatchTypeOf<FeatureTransformerJsonLike>();
});

test('the fitted models and transformer themselves are accepted', () => {
  expectTypeOf<LogisticRegression>().toMatchTypeOf<ModelInput<LogisticRegressionJsonLike>>();
  expectTypeOf<DecisionTree>().toMatchTypeOf<ModelInput<DecisionTreeJsonLike>>();
  expectTypeOf<RandomForest>().toMatchTypeOf<ModelInput<RandomForestJsonLike>>();
  expectTypeOf<RandomForest>().toMatchTypeOf<ScoreModel>();
  expectTypeOf<FeatureTransformer>().toMatchTypeOf<ModelInput<FeatureTransformerJsonLike>>();
  expectTypeOf<{ model: LogisticRegression; transformer: FeatureTransformer }>().toMatchTypeOf<ScoreSqlOptions>();
});

test('a model of another kind is not a ScoreModel', () => {
  expectTypeOf<{ kind: 'crm.churn.neural-network'; version: 1 }>().not.toMatchTypeOf<ScoreModel>();
});
