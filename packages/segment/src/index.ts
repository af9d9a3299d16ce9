export type { Clusterer } from './clusterer.ts';
export { KMeans } from './kmeans.ts';
export type { KMeansOptions, KMeansJson } from './kmeans.ts';
export { silhouette } from './silhouette.ts';
export type { SilhouetteOptions } from './silhouette.ts';
export { daviesBouldin } from './davies-bouldin.ts';
export { calinskiHarabasz } from './calinski-harabasz.ts';
export { inertia } from './inertia.ts';
