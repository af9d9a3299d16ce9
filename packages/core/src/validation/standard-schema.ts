/**
 * The Standard Schema v1 interface (https://standardschema.dev), declared here so @crm's
 * schemas plug into any tool that accepts a Standard Schema, without a runtime dependency.
 *
 * @example
 * ```ts
 * import { transactionSchema, type StandardSchemaV1 } from '@crm/core';
 * const schema: StandardSchemaV1<unknown, unknown> = transactionSchema;
 * schema['~standard'].vendor; // 'crm'
 * ```
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

/**
 * Types of the Standard Schema v1 interface.
 *
 * @example
 * ```ts
 * import { transactionSchema, type StandardSchemaV1 } from '@crm/core';
 * type Tx = StandardSchemaV1.InferOutput<typeof transactionSchema>; // Transaction
 * ```
 */
export declare namespace StandardSchemaV1 {
  /** The `~standard` property of a schema. */
  export interface Props<Input = unknown, Output = Input> {
    /** Version of the Standard Schema specification: 1. */
    readonly version: 1;
    /** Library that made the schema: `'crm'`. */
    readonly vendor: string;
    /** Validates an unknown value. */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    /** Inferred types (type-level only). */
    readonly types?: Types<Input, Output> | undefined;
  }
  /** Outcome of a validation. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  /** A successful validation: the typed value. */
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  /** A failed validation: its issues. */
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One problem found. */
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path segment given as an object. */
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  /** Input and output types of a schema. */
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  /** Input type of a schema. */
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['input'];
  /** Output type of a schema. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output'];
}
