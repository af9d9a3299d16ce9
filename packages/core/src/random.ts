import { portableLog, sinCosTurn } from './detmath.ts';
import { CrmError } from './errors.ts';

/**
 * A seeded pseudo-random generator. Every randomized algorithm in @crm draws from one, so the
 * same seed gives the same result in Node, browsers and Deno. Made by {@link createRng}.
 *
 * @example
 * ```ts
 * import { createRng, type Rng } from '@crm/core';
 * const rng: Rng = createRng(7);
 * const perTree: Rng[] = [rng.split(), rng.split()]; // independent, reproducible streams
 * ```
 */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /**
   * Normal deviate (Box–Muller), mean 0 and sd 1 unless given. The logarithm, sine and cosine it
   * needs are computed with arithmetic only, so the stream is bit-identical in every engine.
   */
  normal(mean?: number, sd?: number): number;
  /** Uniform integer in [min, max) (unbiased, by rejection). */
  int(min: number, max: number): number;
  /** Raw unsigned 32-bit output. */
  nextUint32(): number;
  /** A new array with the elements of `items` in random order (Fisher–Yates); the input is not touched. */
  shuffle<T>(items: readonly T[]): T[];
  /** `k` elements of `items`, without replacement unless `replace` is true. */
  sample<T>(items: readonly T[], k: number, replace?: boolean): T[];
  /** An independent generator seeded from this one: use one per tree, fold or restart. */
  split(): Rng;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function splitMix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded generator: xoshiro128** (Blackman & Vigna 2018), a 128-bit state generator
 * with 32-bit output that passes BigCrush, seeded through SplitMix32 so nearby seeds give
 * unrelated streams. Every stream is bit-identical on every JavaScript engine: the generator uses
 * only 32-bit integer arithmetic, and `normal()` computes its logarithm, sine and cosine with
 * `+ − × ÷` and `sqrt` (correctly rounded in IEEE 754) instead of `Math.log/sin/cos`, whose last
 * bit differs between engines. Not for cryptography.
 *
 * @param seed any finite number; its integer part (mod 2^32) selects the stream.
 * @throws {CrmError} `invalid_argument` when the seed is not a finite number.
 * @see https://prng.di.unimi.it/
 * @example
 * ```ts
 * import { createRng } from '@crm/core';
 * const rng = createRng(42);
 * rng.uniform();               // 0 ≤ u < 1, the same on every run
 * rng.int(0, 6);               // a die roll 0..5
 * rng.shuffle(['a', 'b', 'c']); // a new, shuffled array
 * ```
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new CrmError('invalid_argument', `seed must be a finite number, got ${String(seed)}`, ['seed']);
  }
  const init = splitMix32(Math.trunc(seed) % TWO_POW_32);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const uniform = (): number => {
    const hi = nextUint32() >>> 5; // 27 bits
    const lo = nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  };
  let spare: number | undefined;
  const turn = { sin: 0, cos: 1 };
  const normal = (mean = 0, sd = 1): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const radius = Math.sqrt(-2 * portableLog(u));
    sinCosTurn(v, turn);
    spare = radius * turn.sin;
    return mean + sd * radius * turn.cos;
  };
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max <= min) {
      throw new CrmError('invalid_argument', `int(min, max) needs integers with min < max, got (${min}, ${max})`);
    }
    const range = max - min;
    if (range <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % range);
      let x = nextUint32();
      while (x >= limit) x = nextUint32();
      return min + (x % range);
    }
    return min + Math.floor(uniform() * range);
  };
  const rng: Rng = {
    uniform,
    normal,
    int,
    nextUint32,
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i + 1);
        const tmp = out[i] as T;
        out[i] = out[j] as T;
        out[j] = tmp;
      }
      return out;
    },
    sample<T>(items: readonly T[], k: number, replace = false): T[] {
      if (!Number.isInteger(k) || k < 0 || (!replace && k > items.length)) {
        throw new CrmError(
          'invalid_argument',
          `cannot sample ${k} of ${items.length} items ${replace ? 'with' : 'without'} replacement`,
          ['k'],
        );
      }
      const out: T[] = [];
      if (replace) {
        if (k > 0 && items.length === 0) throw new CrmError('invalid_argument', 'cannot sample from an empty array', ['items']);
        for (let i = 0; i < k; i++) out.push(items[int(0, items.length)] as T);
        return out;
      }
      // Partial Fisher–Yates over an index array: O(n) memory, O(k) swaps.
      const index = Array.from({ length: items.length }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = int(i, items.length);
        const tmp = index[i] as number;
        index[i] = index[j] as number;
        index[j] = tmp;
        out.push(items[index[i] as number] as T);
      }
      return out;
    },
    split(): Rng {
      return createRng(nextUint32());
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
