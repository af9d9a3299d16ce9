import { expectTypeOf, test } from 'vitest';
import {
  DecisionTree,
  LogisticRegression,
  NeuralNetwork,
  RandomForest,
  pipeline,
  type Classifier,
  type FittedPipeline,
  type Learner,
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
