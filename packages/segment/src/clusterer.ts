/**
 * The role every fitted clustering model with a fixed set of clusters plays: it knows the cluster of
 * each training row, assigns new rows to a cluster, and serializes itself. `KMeans`, `Som` (one
 * cluster per map unit) and `Dbscan` implement it; `Agglomerative` is a hierarchy that you cut with
 * `labels({ k })` or `labels({ height })` instead.
 *
 * Code that takes "any clusterer" should tell models apart by `kind`, never by `instanceof`.
 *
 * @example
 * ```ts
 * import { KMeans, type Clusterer } from '@crm/segment';
 * const model: Clusterer = KMeans.fit([[1, 1], [1, 2], [8, 8], [9, 8]], { k: 2, seed: 1 });
 * model.kind;                // 'crm.segment.kmeans'
 * model.predict([[0, 1]]);   // the cluster of row 0's group
 * ```
 */
export interface Clusterer {
  /** Model kind, as in its JSON (`'crm.segment.kmeans'`, `'crm.segment.som'`, `'crm.segment.dbscan'`). */
  readonly kind: string;
  /** Number of clusters the model can assign (map units for a SOM); noise (-1) is not counted. */
  readonly clusterCount: number;
  /** Cluster of each training row, in row order; -1 marks noise where the model has it. */
  readonly labels: readonly number[];
  /** Cluster of each row of `X` (same columns as the training data). */
  predict(X: readonly ArrayLike<number>[]): number[];
  /** Plain JSON data from which the model's static `fromJSON` restores it. */
  toJSON(): {
    /** The model kind, as {@link Clusterer.kind}. */
    readonly kind: string;
    /** Format version of the JSON. */
    readonly version: number;
  };
}
