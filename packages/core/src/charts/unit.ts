import { CrmError } from '../errors.ts';
import type { XYSeries } from './xy.ts';

/** Checks that every x and y of some series lies in [0, 1] (rates and probabilities). */
export function checkUnit(series: readonly XYSeries[], xName: string, yName: string): void {
  series.forEach((s, i) => {
    for (const [values, name] of [[s.x, xName], [s.y, yName]] as const) {
      const j = values.findIndex((v) => v < 0 || v > 1);
      if (j >= 0) {
        throw new CrmError('invalid_input', `${name}[${j}] of series ${i} is ${values[j]}; it is a rate and must lie in [0, 1]`, [i, name, j]);
      }
    }
  });
}

/** The series with a leading (0, 0) point added when it starts later (curves that start at the origin). */
export function fromOrigin(s: XYSeries): XYSeries {
  return (s.x[0] ?? 0) > 0 || (s.y[0] ?? 0) > 0 ? { label: s.label, x: [0, ...s.x], y: [0, ...s.y] } : s;
}

/** A series label with a score appended: `forest (AUC 0.84)`. */
export function withScore(label: string, name: string, score: unknown): string {
  if (typeof score !== 'number' || !Number.isFinite(score)) return label;
  return `${label ? `${label} ` : ''}(${name} ${score.toFixed(3)})`;
}
