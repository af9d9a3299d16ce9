import { FeatureTransformer, readOptions, type CrmPath, type FeatureTransformerJson, type FittedColumn } from '@crm/core';
import { finishExpression, writerFor, type SqlExpression } from './compile-common.ts';
import { modelJson, readKind, underPath, type ModelInput } from './model-json.ts';
import { finiteSql, numberLiteral, type SqlWriter } from './query.ts';
import type { Dialect } from './dialect.ts';

/**
 * What {@link featureTransformerSql} reads: a fitted `FeatureTransformer` of @crm/core or its JSON.
 *
 * @example
 * ```ts
 * import type { FeatureTransformerJsonLike } from '@crm/sql';
 * const json: FeatureTransformerJsonLike = {
 *   kind: 'crm.core.feature-transformer', version: 1,
 *   columns: [{ name: 'tenure', type: 'numeric', center: 32, scale: 24, fill: null }],
 * };
 * ```
 */
export type FeatureTransformerJsonLike = FeatureTransformerJson;

/**
 * One output feature of a transformer in SQL: its name (`tenure`, `Contract=One year`) and the
 * expression computing it.
 *
 * @example
 * ```ts
 * import type { SqlFeature } from '@crm/sql';
 * const f: SqlFeature = { name: 'tenure', dialect: 'duckdb', text: 'CAST("tenure" AS DOUBLE)', params: [] };
 * ```
 */
export interface SqlFeature extends SqlExpression {
  /** The feature's name, as `FeatureTransformer#featureNames` gives it. */
  readonly name: string;
}

/**
 * Options of {@link featureTransformerSql}.
 *
 * @example
 * ```ts
 * import type { FeatureTransformerSqlOptions } from '@crm/sql';
 * const options: FeatureTransformerSqlOptions = { dialect: 'postgres' };
 * ```
 */
export interface FeatureTransformerSqlOptions {
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

const KIND = 'crm.core.feature-transformer';

/** Reads a transformer (object or JSON) and checks it with FeatureTransformer.fromJSON. Internal. */
export function readTransformer(value: unknown, path: CrmPath): readonly FittedColumn[] {
  const json = modelJson(value, path);
  readKind(json, [KIND], 1, path);
  return underPath(path, () => FeatureTransformer.fromJSON(json).columns);
}

/**
 * The output features of fitted columns as SQL over the source columns (`column(name)` writes a
 * reference to one), each a double, NULL where `transform` would refuse the row. Internal.
 */
export function transformerFeatures(w: SqlWriter, columns: readonly FittedColumn[], column: (name: string, index: number) => string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  columns.forEach((c, j) => {
    const ref = column(c.name, j);
    if (c.type === 'numeric') {
      const x = `CAST(${ref} AS ${w.d.double})`;
      const scaled = c.center === 0 && c.scale === 1 ? x : `(${x} - ${numberLiteral(c.center)}) / ${numberLiteral(c.scale)}`;
      const fill = c.fill === null ? undefined : scaledFill(c.fill, c.center, c.scale);
      const missing = fill === undefined ? '' : ` WHEN ${x} IS NULL OR ${w.d.isNaN(x)} THEN ${numberLiteral(fill)}`;
      out.push({ name: c.name, text: `CAST(CASE WHEN ${finiteSql(x)} THEN ${scaled}${missing} END AS ${w.d.double})` });
      return;
    }
    const v = `CAST(${ref} AS ${w.d.text})`;
    // The level after imputation; NULL when missing without a fill (transform refuses the row).
    const level = `CASE WHEN ${v} IS NULL OR TRIM(${v}) = '' THEN ${c.fill === null ? 'NULL' : w.param(c.fill, 'text')} ELSE ${v} END`;
    const params = c.levels.map((l) => w.param(l, 'text'));
    // An unseen level: all zeros with unseen 'ignore'; NULL with 'error' (transform refuses the row).
    const other = c.unseen === 'ignore' || params.length === 0 ? `WHEN (${level}) IS NOT NULL THEN 0` : `WHEN (${level}) IN (${params.join(', ')}) THEN 0`;
    c.levels.forEach((l, k) => {
      out.push({ name: `${c.name}=${l}`, text: `CAST(CASE WHEN (${level}) = ${params[k]!} THEN 1 ${other} END AS ${w.d.double})` });
    });
  });
  return out;
}

/** (fill − center) / scale as transform computes it, or undefined when it overflows there too. */
function scaledFill(fill: number, center: number, scale: number): number | undefined {
  let x = (fill - center) / scale;
  if (!Number.isFinite(x)) x = fill / scale - center / scale;
  return Number.isFinite(x) ? x : undefined;
}

/**
 * Compiles a fitted `FeatureTransformer` (of @crm/core, or its JSON) to one SQL expression per
 * output feature, in `featureNames` order, over the source columns named as in the transformer,
 * giving what `transform` gives (bit for bit: (x − center) / scale in doubles, one-hot 0/1):
 *
 * - numeric columns: a numeric SQL type, cast to double; a NULL or NaN is missing and takes the
 *   fitted fill (`impute`); an infinite value, or a missing one without a fill, gives NULL (where
 *   `transform` throws);
 * - categorical columns: compared as text (use a text column: other types are cast to text by
 *   the engine's rules, which need not print numbers as JavaScript does); a NULL or a string of
 *   spaces is missing and takes the fill; a level not seen in training gives all zeros with
 *   `unseen: 'ignore'`, NULL with `'error'`. Levels and fills are bound parameters.
 *
 * To score with a model on top, pass the transformer to {@link scoreSql}, which computes the
 * features once per row in a subquery.
 *
 * @example
 * ```ts
 * import { featureTransformerSql } from '@crm/sql';
 * const tf = {
 *   kind: 'crm.core.feature-transformer', version: 1,
 *   columns: [{ name: 'plan', type: 'categorical', levels: ['basic', 'pro'], unseen: 'ignore', fill: null }],
 * } as const;
 * const features = featureTransformerSql(tf, { dialect: 'postgres' });
 * features.map((f) => f.name); // → ['plan=basic', 'plan=pro']
 * features[1]!.params;          // → ['pro'] (each level a bound parameter)
 * ```
 * @throws {CrmError} `invalid_json` (with a path) for anything that is not a valid serialized
 * transformer; `invalid_argument` for bad options.
 */
export function featureTransformerSql(transformer: ModelInput<FeatureTransformerJsonLike>, options?: FeatureTransformerSqlOptions): readonly SqlFeature[] {
  const o = readOptions(options, ['dialect'], 'featureTransformerSql');
  const w = writerFor(o.dialect);
  const columns = readTransformer(transformer, []);
  const features = transformerFeatures(w, columns, (name, j) => w.ident(name, ['columns', j, 'name']));
  // Each expression is finished on its own, so it numbers only its own parameters, from 1.
  return Object.freeze(features.map((f) => Object.freeze({ name: f.name, ...finishExpression(w, f.text) })));
}
