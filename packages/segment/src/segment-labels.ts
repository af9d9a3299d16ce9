import { CrmError, type CrmPath } from '@crm/core';

/**
 * A segmentation of records by name, in the shape the rest of the package reads: `labels` are
 * integer codes (usable as the `labels` of {@link profileSegments} and of every cluster metric),
 * `legend` names each code. A record no rule or input could assign has code −1 and segment `null`;
 * it is counted in `unassigned`, never put in a segment.
 *
 * @example
 * ```ts
 * import { crossSegments, type SegmentLabels } from '@crm/segment';
 * const s: SegmentLabels = crossSegments(['A', 'B', 'A'], ['young', 'old', 'old']);
 * s.legend;   // ['A / old', 'A / young', 'B / old']
 * s.labels;   // [1, 2, 0]
 * s.segments; // ['A / young', 'B / old', 'A / old']
 * ```
 */
export interface SegmentLabels {
  /** Code of each record: its index in `legend`, or −1 when it has no segment. */
  readonly labels: readonly number[];
  /** Name of each code, in the order of the inputs' own orders (a rule's bands, a legend, sorted values). */
  readonly legend: readonly string[];
  /** The components of each legend entry: one label per rule, or the two crossed names. */
  readonly parts: readonly (readonly string[])[];
  /** Records per legend entry. */
  readonly counts: readonly number[];
  /** Segment name of each record (`legend[labels[i]]`), `null` when it has none. */
  readonly segments: readonly (string | null)[];
  /** Records without a segment (code −1). */
  readonly unassigned: number;
}

/** Between the parts of a combined segment name, unless the caller chooses another. */
export const DEFAULT_SEPARATOR = ' / ';

/**
 * Combines per-column label indices (−1 = unassigned) into one segmentation: a record's segment is
 * the tuple of its indices; tuples present are listed in lexicographic order of the indices, so the
 * legend follows each column's own order. O(n · columns + k log k).
 *
 * @throws {CrmError} `invalid_argument` when two different tuples would print the same name.
 */
export function combineColumns(columns: readonly Int32Array[], names: readonly (readonly string[])[], separator: string, n: number, separatorPath: CrmPath): SegmentLabels {
  const found = new Map<string, { tuple: number[] }>();
  const keyOf = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const tuple: number[] = [];
    for (const column of columns) {
      const v = column[i] as number;
      if (v < 0) break;
      tuple.push(v);
    }
    if (tuple.length < columns.length) {
      keyOf[i] = null;
      continue;
    }
    const key = tuple.join(',');
    keyOf[i] = key;
    if (!found.has(key)) found.set(key, { tuple });
  }
  const entries = [...found.values()].sort((a, b) => {
    for (let c = 0; c < a.tuple.length; c++) if (a.tuple[c] !== b.tuple[c]) return (a.tuple[c] as number) - (b.tuple[c] as number);
    return 0;
  });
  const codeOf = new Map<string, number>();
  const legend: string[] = [];
  const parts: string[][] = [];
  const byName = new Map<string, number>();
  entries.forEach((e, code) => {
    const p = e.tuple.map((v, c) => (names[c] as readonly string[])[v] as string);
    const name = p.join(separator);
    const twin = byName.get(name);
    if (twin !== undefined) {
      throw new CrmError(
        'invalid_argument',
        `two different segments would both be named ${JSON.stringify(name)} (${JSON.stringify(parts[twin])} and ${JSON.stringify(p)}): choose a separator that no label contains`,
        separatorPath,
      );
    }
    byName.set(name, code);
    codeOf.set(e.tuple.join(','), code);
    legend.push(name);
    parts.push(p);
  });
  const labels = new Array<number>(n);
  const segments = new Array<string | null>(n);
  const counts = new Array<number>(legend.length).fill(0);
  let unassigned = 0;
  for (let i = 0; i < n; i++) {
    const key = keyOf[i];
    if (key === null || key === undefined) {
      labels[i] = -1;
      segments[i] = null;
      unassigned++;
      continue;
    }
    const code = codeOf.get(key) as number;
    labels[i] = code;
    segments[i] = legend[code] as string;
    counts[code] = (counts[code] as number) + 1;
  }
  return { labels, legend, parts, counts, segments, unassigned };
}
