export type { Dialect, TimeType } from './dialect.ts';
export type { SqlParam, SqlQuery } from './query.ts';
export type { TransactionSource } from './source.ts';
export { summarizeCustomersSql, calibrationHoldoutSql, churnLabelsSql } from './summaries.ts';
export type { TransactionsQuery, SummarySqlOptions, CalibrationHoldoutSqlOptions, ChurnLabelsSqlOptions } from './summaries.ts';
export { purchasePatternsSql, spendGroupsSql } from './patterns.ts';
export type { SummarySource, PatternSqlOptions } from './patterns.ts';
export { readSummaries, readPatterns, readSpendGroups, readExcluded, readNumbers } from './read.ts';
export type { PurchasePattern, SpendGroup, ExcludedRows, ReadNumbersOptions } from './read.ts';
export { describeSql, readSchema } from './schema.ts';
export type { DescribeSqlOptions } from './schema.ts';
export type { SqlExpression } from './compile-common.ts';
export type { ModelInput } from './model-json.ts';
export { logisticRegressionSql } from './compile-logistic.ts';
export type { LogisticRegressionJsonLike, LogisticRegressionSqlOptions } from './compile-logistic.ts';
export { decisionTreeSql } from './compile-tree.ts';
export type { DecisionTreeJsonLike, TreeJsonLike, TreeSqlOptions } from './compile-tree.ts';
export { randomForestSql } from './compile-forest.ts';
export { gradientBoostingSql } from './compile-boosting.ts';
export type { BoostedTreeJsonLike, GradientBoostingJsonLike } from './compile-boosting.ts';
export type { RandomForestJsonLike } from './compile-forest.ts';
export { featureTransformerSql } from './compile-transformer.ts';
export type { FeatureTransformerJsonLike, FeatureTransformerSqlOptions, SqlFeature } from './compile-transformer.ts';
export { scoreSql } from './compile-score.ts';
export type { ScoreModel, ScoreSource, ScoreSqlOptions } from './compile-score.ts';
export type { CustomerSummarySource } from './columns-source.ts';
export { rfmScoresSql, rfmSegmentsSql, type RfmScoreSource, type RfmSegmentsSqlOptions, type RfmSqlOptions, type SegmentMapData } from './rfm.ts';
export {
  customerScoresSql,
  purchaseScoreTableSql,
  spendScoreTableSql,
  type ClvSqlOptions,
  type ClvTimeUnit,
  type CustomerScoresSqlOptions,
  type PatternHistory,
  type PurchaseScoreTableOptions,
  type PurchaseScorer,
  type ScoreTable,
  type SpendScoreTableOptions,
  type SpendScorer,
} from './score-table.ts';
export { bgNbdProbabilityAliveSql, gammaGammaSpendSql, type BgNbdParamsData, type ClosedFormSqlOptions, type GammaGammaParamsData } from './closed-forms.ts';
