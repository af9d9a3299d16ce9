import { expectTypeOf, test } from 'vitest';
import { FeatureTransformer } from '@crm/core';
import {
  crossValidate,
  type CrossValidationResult,
  type PipelineLearner,
  DecisionTree,
  LogisticRegression,
  NeuralNetwork,
  RandomForest,
  pipeline,
  type Classifier,
  type FittedPipeline,
  type Learner,
  CoxPh,
  type SurvivalData,
} from '@crm/churn';

test('every model class is a Learner as it is, and its instances are Classifiers', () => {
  expectTypeOf(LogisticRegression).toMatchTypeOf<Learner<ArrayLike<number>>>();
  expectTypeOf(DecisionTree).toMatchTypeOf<Learner<ArrayLike<number>>>();
  expectTypeOf(RandomForest).toMatchTypeOf<Learner<ArrayLike<number>>>();
  expectTypeOf(NeuralNetwork).toMatchTypeOf<Learner<ArrayLike<number>>>();
  expectTypeOf<LogisticRegression>().toMatchTypeOf<Classifier>();
  expectTypeOf<RandomForest>().toMatchTypeOf<Classifier>();
  expectTypeOf<ReturnType<LogisticRegression['predictProba']>>().toEqualTypeOf<Float64Array>();
});

test('a pipeline keeps the record type and the model type', () => {
  type Rec = { readonly tenure: number };
  const learner = pipeline({ fit: () => ({ transform: (r: readonly Rec[]) => r.map((o) => [o.tenure]) }) }, DecisionTree);
  expectTypeOf(learner.fit([{ tenure: 1 }], [1])).toEqualTypeOf<FittedPipeline<Rec, DecisionTree>>();
  expectTypeOf(learner.fit([{ tenure: 1 }], [1]).model).toEqualTypeOf<DecisionTree>();
  expectTypeOf(learner).toMatchTypeOf<Learner<Rec>>();
});

test('pipeline({ fit: (records) => FeatureTransformer.fit(records, spec) }, Model) type-checks as written (no TS2345)', () => {
  const spec = { columns: [{ name: 'tenure', type: 'numeric', scale: 'standard' }, { name: 'plan', type: 'categorical' }] } as const;
  const learner = pipeline({ fit: (records) => FeatureTransformer.fit(records, spec) }, LogisticRegression);
  expectTypeOf(learner).toEqualTypeOf<PipelineLearner<object, LogisticRegression>>();
  expectTypeOf(learner.fit([{ tenure: 1, plan: 'a' }], [1]).model).toEqualTypeOf<LogisticRegression>();
  expectTypeOf(crossValidate(learner, [{ tenure: 1, plan: 'a' }], [1])).toEqualTypeOf<CrossValidationResult>();
});

test('CoxPh is a survival model, not a Classifier: it fits (X, survival data) and predicts curves and times', () => {
  expectTypeOf<CoxPh>().not.toMatchTypeOf<Classifier>();
  expectTypeOf(CoxPh.fit).parameter(1).toEqualTypeOf<SurvivalData>();
  expectTypeOf<ReturnType<CoxPh['survival']>>().toEqualTypeOf<Float64Array[]>();
  expectTypeOf<ReturnType<CoxPh['medianTime']>>().toEqualTypeOf<(number | null)[]>();
  expectTypeOf<CoxPh['kind']>().toEqualTypeOf<'crm.churn.cox-ph'>();
});
