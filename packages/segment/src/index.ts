export type { Clusterer } from './clusterer.ts';
export { KMeans } from './kmeans.ts';
export type { KMeansOptions, KMeansSettings, KMeansJson } from './kmeans.ts';
export { silhouette } from './silhouette.ts';
export type { SilhouetteOptions } from './silhouette.ts';
export { daviesBouldin } from './davies-bouldin.ts';
export { calinskiHarabasz } from './calinski-harabasz.ts';
export { inertia } from './inertia.ts';
export { Agglomerative } from './agglomerative.ts';
export type { AgglomerativeOptions, AgglomerativeSettings, AgglomerativeJson, Linkage, Merge, CutOptions } from './agglomerative.ts';
export { Dbscan } from './dbscan.ts';
export type { DbscanOptions, DbscanSettings, DbscanJson } from './dbscan.ts';
export { Som } from './som.ts';
export type { SomOptions, SomSettings, SomJson } from './som.ts';
export { chooseK } from './choose-k.ts';
export type { ChooseKOptions, ChooseKResult, KScore } from './choose-k.ts';
export { profileSegments } from './profile.ts';
export type { ProfileOptions, SegmentProfiles, SegmentProfile, FeatureWords } from './profile.ts';
export { RuleSegments } from './rule-segments.ts';
export type { RuleSegmentResult, RuleSegmentIssue, RuleSegmentIssueCode, RuleSegmentsJson } from './rule-segments.ts';
export type {
  Band,
  BandRule,
  MapRule,
  SegmentRule,
  RuleSegmentsDefinition,
  BandSettings,
  BandRuleSettings,
  MapRuleSettings,
  SegmentRuleSettings,
} from './rule-definition.ts';
export { crossSegments } from './cross-segments.ts';
export type { SegmentInput, CrossSegmentsOptions } from './cross-segments.ts';
export type { SegmentLabels } from './segment-labels.ts';
