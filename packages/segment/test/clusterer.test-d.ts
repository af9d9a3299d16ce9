import { expectTypeOf, test } from 'vitest';
import { Dbscan, KMeans, Som, type Clusterer } from '@crm/segment';

test('KMeans, Som and Dbscan play the Clusterer role', () => {
  expectTypeOf<KMeans>().toMatchTypeOf<Clusterer>();
  expectTypeOf<Som>().toMatchTypeOf<Clusterer>();
  expectTypeOf<Dbscan>().toMatchTypeOf<Clusterer>();
  expectTypeOf<Clusterer['predict']>().returns.toEqualTypeOf<number[]>();
});
