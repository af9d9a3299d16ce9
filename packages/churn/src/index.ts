export type { Classifier, ClassifierJson, Predictor, Learner } from './classifier.ts';
export type { ClassWeight, ClassWeights, Rows, Labels } from './internal/checks.ts';
export { LogisticRegression } from './logistic-regression.ts';
export type { LogisticRegressionOptions, LogisticRegressionResolvedOptions, LogisticRegressionReport, LogisticRegressionJson } from './logistic-regression.ts';
export { DecisionTree } from './decision-tree.ts';
export type { DecisionTreeOptions, DecisionTreeResolvedOptions, DecisionTreeJson } from './decision-tree.ts';
export type { TreeJson } from './internal/tree-json.ts';
export type { TreeTextOptions } from './internal/tree-text.ts';
export { RandomForest } from './random-forest.ts';
export type { RandomForestOptions, RandomForestResolvedOptions, RandomForestJson, OutOfBagScore } from './random-forest.ts';
export { NeuralNetwork } from './neural-network.ts';
export type { NeuralNetworkOptions, NeuralNetworkResolvedOptions, NeuralNetworkReport, NeuralNetworkJson } from './neural-network.ts';
export { rocAuc } from './metrics/roc-auc.ts';
export { prAuc } from './metrics/pr-auc.ts';
export { logLoss } from './metrics/log-loss.ts';
export { brierScore } from './metrics/brier-score.ts';
export { confusionMatrix } from './metrics/confusion-matrix.ts';
export type { ConfusionMatrix } from './metrics/confusion-matrix.ts';
export { bestThreshold } from './metrics/best-threshold.ts';
export type { BestThreshold, BestThresholdOptions, OutcomeValues } from './metrics/best-threshold.ts';
export { liftTable } from './metrics/lift-table.ts';
export type { LiftRow } from './metrics/lift-table.ts';
export { calibrationCurve } from './metrics/calibration-curve.ts';
export type { CalibrationBin, CalibrationOptions } from './metrics/calibration-curve.ts';
export { trainTestSplit, stratifiedKFold } from './split.ts';
export type { TrainTestSplit, TrainTestSplitOptions } from './split.ts';
export { pipeline } from './pipeline.ts';
export type { TransformerFactory, FittedTransformer, FittedPipeline, PipelineLearner } from './pipeline.ts';
export { crossValidate } from './cross-validate.ts';
export type { CrossValidateOptions, CrossValidationResult, FoldScore, ScoreSummary } from './cross-validate.ts';
export { permutationImportance } from './permutation-importance.ts';
export type { PermutationImportanceOptions, FeatureImportance } from './permutation-importance.ts';
export { rocCurve } from './metrics/roc-curve.ts';
export type { RocCurve } from './metrics/roc-curve.ts';
export { precisionRecallCurve } from './metrics/precision-recall-curve.ts';
export type { PrecisionRecallCurve } from './metrics/precision-recall-curve.ts';
export type { SurvivalData } from './survival/survival-data.ts';
export type { Explanation } from './explanation.ts';
export { XGBoostModel } from './xgboost-model.ts';
export type { XGBoostModelJson, XGBoostTreeJson } from './xgboost-model.ts';
export { calibrate, CalibratedClassifier } from './calibrate.ts';
export type { CalibrateOptions, CalibrateResolvedOptions, CalibratorJson, CalibratedClassifierJson, ClassifierLoader } from './calibrate.ts';
export { GradientBoosting } from './gradient-boosting.ts';
export type { GradientBoostingOptions, GradientBoostingResolvedOptions, GradientBoostingReport, GradientBoostingJson } from './gradient-boosting.ts';
export type { BoostedTreeJson } from './internal/hist-tree-json.ts';
export { KaplanMeier } from './survival/kaplan-meier.ts';
export type { KaplanMeierOptions, KaplanMeierResolvedOptions, KaplanMeierTable, KaplanMeierJson, SurvivalQuantile } from './survival/kaplan-meier.ts';
export type { ConfidenceType } from './survival/survival-curve.ts';
export { kaplanMeierByGroup } from './survival/kaplan-meier-by-group.ts';
export type { KaplanMeierGroup } from './survival/kaplan-meier-by-group.ts';
export type { GroupLabel } from './survival/survival-groups.ts';
export { logRankTest } from './survival/log-rank-test.ts';
export type { LogRankOptions, LogRankResult } from './survival/log-rank-test.ts';
export { survivalFromTransactions } from './survival/survival-from-transactions.ts';
export type { SurvivalFromTransactionsOptions, TransactionSurvival, PurchaseEvent } from './survival/survival-from-transactions.ts';
export { survivalFromContracts } from './survival/survival-from-contracts.ts';
export type { ContractPeriod, SurvivalFromContractsOptions } from './survival/survival-from-contracts.ts';
export type { DurationUnit } from './survival/time-unit.ts';
export { CoxPh } from './survival/cox-ph.ts';
export type {
  CoxPhOptions,
  CoxPhResolvedOptions,
  CoxCoefficient,
  ChiSquareTest,
  CoxConcordance,
  CoxProportionalHazards,
  CoxPhReport,
  CoxPhJson,
} from './survival/cox-ph.ts';
export { reasonCodes } from './reason-codes.ts';
export type { ReasonCode, ReasonCodeOptions } from './reason-codes.ts';
