import { CrmError, booleanOption, numberOption, readOptions } from '@crm/core';

/**
 * Options of {@link DecisionTree.toText}, as scikit-learn's `export_text`.
 *
 * @example
 * ```ts
 * import type { TreeTextOptions } from '@crm/churn';
 * const options: TreeTextOptions = { maxDepth: 3, decimals: 3, spacing: 2 };
 * ```
 */
export interface TreeTextOptions {
  /** Deepest level printed; deeper branches become one "truncated branch of depth d" line (default 10). */
  readonly maxDepth?: number;
  /** Digits after the decimal point of thresholds and weights (default 2). */
  readonly decimals?: number;
  /** Width of one level of indentation (default 3). */
  readonly spacing?: number;
  /** Print the weighted class counts of each leaf, `weights: [w0, w1]` (default false). */
  readonly showWeights?: boolean;
}

/** The node arrays the text needs; `cover` (weighted rows per node) only for `showWeights`. */
export interface TextTree {
  readonly feature: ArrayLike<number>;
  readonly threshold: ArrayLike<number>;
  readonly left: ArrayLike<number>;
  readonly right: ArrayLike<number>;
  /** Probability of class 1 at each node. */
  readonly value: ArrayLike<number>;
  readonly cover?: ArrayLike<number> | undefined;
}

const MAX_DECIMALS = 100;

/**
 * The rules of a classification tree as scikit-learn 1.2's `export_text` writes them, character
 * for character: `|--- name <= t` for the left branch, `|--- name >  t` for the right, and
 * `|--- class: c` at leaves, where c is the majority class (class 1 only when its share exceeds
 * one half, as numpy's argmax breaks ties to the first class). Numbers round half to even on
 * their exact binary value, as Python's `format`.
 */
export function treeText(tree: TextTree, nFeatures: number, featureNames: readonly string[] | undefined, options: unknown, caller: string): string {
  const o = readOptions(options, ['maxDepth', 'decimals', 'spacing', 'showWeights'], caller);
  const maxDepth = numberOption(o, 'maxDepth', 10, { min: 0, integer: true });
  const decimals = numberOption(o, 'decimals', 2, { min: 0, max: MAX_DECIMALS, integer: true });
  const spacing = numberOption(o, 'spacing', 3, { min: 1, max: 100, integer: true });
  const showWeights = booleanOption(o, 'showWeights', false);
  const names = checkNames(featureNames, nFeatures, caller);
  const cover = tree.cover;
  if (showWeights && cover === undefined) {
    throw new CrmError('invalid_argument', `${caller}: this tree has no node weights (it was saved by an older release); refit it to show weights`, [
      'options',
      'showWeights',
    ]);
  }
  const lines: string[] = [];
  const leafLine = (node: number, indent: string): void => {
    const p = tree.value[node] as number;
    let text = ` class: ${p > 0.5 ? 1 : 0}`;
    if (showWeights) {
      const w = (cover as ArrayLike<number>)[node] as number;
      text = ` weights: [${formatFixed(w * (1 - p), decimals)}, ${formatFixed(w * p, decimals)}]${text}`;
    }
    lines.push(indent + text);
  };
  // An explicit stack instead of recursion: a deep tree from JSON cannot overflow the call stack.
  const stack: [node: number, depth: number, kind: 0 | 1][] = [[0, 1, 0]];
  while (stack.length > 0) {
    const [node, depth, kind] = stack.pop() as [number, number, 0 | 1];
    let indent = ('|' + ' '.repeat(spacing)).repeat(depth);
    indent = indent.slice(0, indent.length - spacing) + '-'.repeat(spacing);
    const f = tree.feature[node] as number;
    if (kind === 1) {
      lines.push(`${indent} ${names(f)} >  ${formatFixed(tree.threshold[node] as number, decimals)}`);
      stack.push([tree.right[node] as number, depth + 1, 0]);
      continue;
    }
    if (depth > maxDepth + 1) {
      const below = subtreeDepth(tree, node);
      if (below === 1) leafLine(node, indent);
      else lines.push(`${indent} truncated branch of depth ${below}`);
      continue;
    }
    if (f < 0) {
      leafLine(node, indent);
      continue;
    }
    lines.push(`${indent} ${names(f)} <= ${formatFixed(tree.threshold[node] as number, decimals)}`);
    stack.push([node, depth, 1], [tree.left[node] as number, depth + 1, 0]);
  }
  return lines.map((l) => l + '\n').join('');
}

function checkNames(featureNames: readonly string[] | undefined, nFeatures: number, caller: string): (f: number) => string {
  if (featureNames === undefined) return (f) => `feature_${f}`;
  if (!Array.isArray(featureNames) || featureNames.length !== nFeatures || featureNames.some((n) => typeof n !== 'string')) {
    throw new CrmError('invalid_argument', `${caller}: featureNames must be ${nFeatures} strings, one per feature`, ['featureNames']);
  }
  return (f) => featureNames[f] as string;
}

/** Levels of the subtree under `node`, the node itself counted (1 for a leaf), as scikit-learn's `_compute_depth`. */
function subtreeDepth(tree: TextTree, node: number): number {
  let max = 0;
  const stack: [number, number][] = [[node, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop() as [number, number];
    if (d > max) max = d;
    if ((tree.feature[n] as number) >= 0) stack.push([tree.left[n] as number, d + 1], [tree.right[n] as number, d + 1]);
  }
  return max;
}

/**
 * `x` with `decimals` digits after the point, rounded half to even on the exact binary value,
 * as Python's `'{:.Nf}'.format(x)` (JavaScript's `toFixed` rounds such ties away from zero).
 */
export function formatFixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return x !== x ? 'nan' : x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  // x = mantissa · 2^exponent exactly.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const scaled = mantissa * 10n ** BigInt(decimals);
  let q: bigint;
  if (exponent >= 0) q = scaled << BigInt(exponent);
  else {
    const shift = BigInt(-exponent);
    q = scaled >> shift;
    const twice = (scaled - (q << shift)) << 1n;
    const unit = 1n << shift;
    if (twice > unit || (twice === unit && (q & 1n) === 1n)) q += 1n;
  }
  let digits = q.toString();
  if (decimals > 0) {
    digits = digits.padStart(decimals + 1, '0');
    digits = `${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
  }
  return (negative ? '-' : '') + digits;
}
