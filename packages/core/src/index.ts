export { CrmError, isCrmError } from './errors.ts';
export type { CrmErrorCode, CrmPath } from './errors.ts';
export { createRng } from './random.ts';
export type { Rng } from './random.ts';
export { portableExp, portableExpm1, portableLog, portableLog1p, portableLog2, portablePow, portableTanh } from './detmath.ts';
export { toDenseMatrix, toBinaryLabels } from './matrix.ts';
export type { DenseMatrix, DenseMatrixOptions } from './matrix.ts';
export { readOptions, numberOption, enumOption, booleanOption } from './options.ts';
export type { OptionBag, NumberRange } from './options.ts';
export { freezeModel } from './freeze.ts';
export { finiteResult, finiteResults } from './finite.ts';
export { checkCost } from './cost.ts';
export { readModelJson, readObject, ownValue, readNumber, readNumberArray } from './json.ts';
export type {
  DateInput,
  Customer,
  Product,
  LineItem,
  Transaction,
  TransactionInput,
  Interaction,
  Subscription,
  PurchaseHistory,
  CustomerSummary,
} from './types.ts';
export { toEpochMs } from './dates.ts';
export type { Period } from './period.ts';
export { groupByCustomer, summarizeCustomers } from './summarize.ts';
export type { CustomerColumns, SummaryOptions, TransactionColumns, Transactions } from './summarize.ts';
export { calibrationHoldout, churnLabels } from './holdout.ts';
export type { CalibrationHoldoutOptions, CalibrationHoldoutRow, ChurnLabelOptions, ChurnLabel } from './holdout.ts';
export {
  validateTransactions,
  validateCustomers,
  validateProducts,
  validateInteractions,
  validateLineItems,
  validateSubscriptions,
} from './validation/validate.ts';
export type { ValidationIssue, ValidationResult, ValidateOptions } from './validation/validate.ts';
export {
  transactionSchema,
  lineItemSchema,
  customerSchema,
  productSchema,
  interactionSchema,
  subscriptionSchema,
} from './validation/entities.ts';
export type { EntitySchema, FieldNames } from './validation/entities.ts';
export type { ValidationIssueCode } from './validation/fields.ts';
export type { StandardSchemaV1 } from './validation/standard-schema.ts';
export { cleanTransactions } from './clean.ts';
export type { CleanOptions, CleanResult, RemovalReason, RemovedTransaction, AdjustedTransaction } from './clean.ts';
export { FeatureTransformer } from './features.ts';
export type {
  NumericColumn,
  CategoricalColumn,
  ColumnSpec,
  FeatureSpec,
  FittedColumn,
  FittedNumericColumn,
  FittedCategoricalColumn,
  FeatureTransformerJson,
  FeatureRecord,
} from './features.ts';
export { cholesky, choleskySolve } from './linalg.ts';
export { logGamma, digamma, logBeta, chiSquareSurvival, normalQuantile } from './special-functions.ts';
