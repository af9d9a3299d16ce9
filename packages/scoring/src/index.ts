export { BgNbd } from './bg-nbd.ts';
export type { BgNbdParams, BgNbdOptions, BgNbdJson } from './bg-nbd.ts';
export { simulateBgNbd } from './simulate-bg-nbd.ts';
export type { SimulateBgNbdOptions } from './simulate-bg-nbd.ts';
export type { FitReport } from './fit.ts';
export type { PurchaseCountOptions } from './counts.ts';
export type { WeightedHistory } from './history.ts';
export type { PurchaseModel, SpendModel, SpendHistory } from './roles.ts';
export { logGamma, digamma, logBeta, logAddExp, logSumExp, logSubExp, logHyp2f1 } from './special.ts';
export { GammaGamma } from './gamma-gamma.ts';
export type { GammaGammaParams, GammaGammaOptions, GammaGammaJson, WeightedSpend } from './gamma-gamma.ts';
export { ParetoNbd } from './pareto-nbd.ts';
export type { ParetoNbdParams, ParetoNbdOptions, ParetoNbdJson } from './pareto-nbd.ts';
export { ModifiedBgNbd } from './modified-bg-nbd.ts';
export type { ModifiedBgNbdParams, ModifiedBgNbdOptions, ModifiedBgNbdJson } from './modified-bg-nbd.ts';
export { BgBb } from './bg-bb.ts';
export type { BgBbParams, BgBbOptions, BgBbJson } from './bg-bb.ts';
export { ShiftedBetaGeometric } from './shifted-beta-geometric.ts';
export type {
  ShiftedBetaGeometricParams,
  ShiftedBetaGeometricOptions,
  ShiftedBetaGeometricJson,
} from './shifted-beta-geometric.ts';
export { customerLifetimeValue } from './customer-lifetime-value.ts';
export type { CustomerLifetimeValueOptions, ClvCustomer } from './customer-lifetime-value.ts';
export type { TimeUnit } from './time-unit.ts';
export { discountedClv } from './discounted-clv.ts';
export type { DiscountedClvInput } from './discounted-clv.ts';
export { retentionClv } from './retention-clv.ts';
export type { RetentionClvInput } from './retention-clv.ts';
export { rfmScores } from './rfm-scores.ts';
export type { RfmInput, RfmOptions, RfmScore } from './rfm-scores.ts';
export { RF_SEGMENTS, R_FM_SEGMENTS, validateSegmentMap, rfmSegments, rfmSegmentTable } from './rfm-segments.ts';
export type { RfmSegmentMap, RfmSegmentRow } from './rfm-segments.ts';
export { cohortRetention } from './cohort-retention.ts';
export type { CohortRetentionOptions, CohortTable, CohortRow, CohortCellStatus } from './cohort-retention.ts';
export { cohortSurvivors } from './cohort-survivors.ts';
export type { CohortSurvivorsOptions } from './cohort-survivors.ts';
export { netPromoterScore } from './net-promoter-score.ts';
export type { NetPromoterScore } from './net-promoter-score.ts';
export { loyaltyMetrics } from './loyalty-metrics.ts';
export type { LoyaltyMetricsOptions, LoyaltyInteraction, CustomerLoyalty } from './loyalty-metrics.ts';
export { populationLoyalty } from './population-loyalty.ts';
export type { PopulationLoyaltyOptions, PopulationLoyalty, GroupLoyalty, PeriodRetention } from './population-loyalty.ts';
