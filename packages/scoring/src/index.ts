export { BgNbd } from './bg-nbd.ts';
export type { BgNbdParams, BgNbdOptions, BgNbdJson } from './bg-nbd.ts';
export type { FitReport } from './fit.ts';
export type { WeightedHistory } from './history.ts';
export type { PurchaseModel, SpendModel, SpendHistory } from './roles.ts';
export { logGamma, digamma, logBeta, logAddExp, logSumExp, logSubExp, logHyp2f1 } from './special.ts';
export { GammaGamma } from './gamma-gamma.ts';
export type { GammaGammaParams, GammaGammaOptions, GammaGammaJson, WeightedSpend } from './gamma-gamma.ts';
