export type { Dialect, TimeType } from './dialect.ts';
export type { SqlParam, SqlQuery } from './query.ts';
export type { TransactionSource } from './source.ts';
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
