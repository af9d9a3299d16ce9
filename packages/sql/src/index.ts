export type { Dialect, TimeType } from './dialect.ts';
export type { SqlParam, SqlQuery } from './query.ts';
export type { TransactionSource } from './source.ts';
export { summarizeCustomersSql, calibrationHoldoutSql, churnLabelsSql } from './summaries.ts';
export type { TransactionsQuery, SummarySqlOptions, CalibrationHoldoutSqlOptions, ChurnLabelsSqlOptions } from './summaries.ts';
export { purchasePatternsSql, spendGroupsSql } from './patterns.ts';
export type { SummarySource, PatternSqlOptions } from './patterns.ts';
