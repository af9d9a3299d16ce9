export type { Dialect, TimeType } from './dialect.ts';
export type { SqlParam, SqlQuery } from './query.ts';
export type { TransactionSource } from './source.ts';
