/** Row indices ordered by score, highest first; ties keep row order (a stable sort). */
export function descendingOrder(p: Float64Array): Uint32Array {
  const idx = new Uint32Array(p.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  // Typed-array sort with a comparator is stable (ES2019+) and avoids boxing.
  return idx.sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
}
