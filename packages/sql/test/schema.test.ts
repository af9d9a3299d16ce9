// describeSql + readSchema on DuckDB and PostgreSQL: the schema a real engine reports, given as the
// source's `schema`, turns unknown columns and wrong column types into CrmErrors with a path before
// any summary SQL is written, and infers the time type.
import { isCrmError } from '@crm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSql, readSchema, readSummaries, summarizeCustomersSql, type TransactionSource } from '../src/index.ts';
import { duckdb, postgres, type Engine } from './engines.ts';

const engines: Engine[] = [];
let skipped = '';

beforeAll(async () => {
  engines.push(await duckdb());
  const pg = await postgres();
  if (typeof pg === 'string') skipped = pg;
  else engines.push(pg);
  for (const e of engines) {
    const [txt, dbl, tz] = e.dialect === 'duckdb' ? ['VARCHAR', 'DOUBLE', 'TIMESTAMPTZ'] : ['TEXT', 'DOUBLE PRECISION', 'TIMESTAMP WITH TIME ZONE'];
    if (e.dialect === 'duckdb') await e.exec("SET TimeZone = 'UTC'");
    await e.exec('DROP TABLE IF EXISTS typed');
    await e.exec(
      `CREATE TABLE typed AS SELECT customer_id, CAST(t AS TIMESTAMP) AS ts, CAST(t AS ${tz}) AS tz, CAST(CAST(t AS TIMESTAMP) AS DATE) AS d, ` +
        `amount, CAST(amount AS ${txt}) AS amount_text, t AS time_text, CAST(amount AS NUMERIC(12, 2)) AS amount_dec ` +
        `FROM (VALUES ('a', '1997-01-01 10:00:00', CAST(10 AS ${dbl})), ('a', '1997-02-03 00:00:00', 20), ('b', '1997-03-01 23:59:59', 5)) AS v(customer_id, t, amount)`,
    );
    await e.exec('DROP TABLE IF EXISTS "we""ird"');
    await e.exec(`CREATE TABLE "we""ird" AS SELECT customer_id AS "client ""id""", ts AS "when", amount AS "Total" FROM typed`);
  }
}, 60_000);

afterAll(async () => {
  for (const e of engines) await e.close();
});

const each = (fn: (e: Engine) => Promise<void>) => async () => {
  if (skipped) console.warn(skipped);
  for (const e of engines) await fn(e);
};

async function schemaOf(e: Engine, source: TransactionSource): Promise<Record<string, string>> {
  return readSchema(await e.run(describeSql(source, { dialect: e.dialect })));
}

function crmError(fn: () => unknown): { code: string; path: readonly (string | number)[]; message: string } {
  try {
    fn();
  } catch (e) {
    if (isCrmError(e)) return e;
    throw e;
  }
  throw new Error('expected a CrmError');
}

const OPTIONS = { observationEnd: '1997-09-30' } as const;

describe('describeSql → readSchema → source.schema', () => {
  it('describes a table: every column with the engine\'s type name', each(async (e) => {
    const schema = await schemaOf(e, { table: 'typed' });
    expect(Object.keys(schema)).toEqual(['customer_id', 'ts', 'tz', 'd', 'amount', 'amount_text', 'time_text', 'amount_dec']);
    expect(schema.ts!.toUpperCase()).toMatch(/^TIMESTAMP( WITHOUT TIME ZONE)?$/);
    expect(schema.tz!.toUpperCase()).toBe('TIMESTAMP WITH TIME ZONE');
  }));

  it('finds an unqualified table along the search path, a qualified one by schema, and names with quotes', each(async (e) => {
    const [{ s }] = (await e.run('SELECT current_schema() AS s')) as [{ s: string }];
    expect(Object.keys(await schemaOf(e, { table: [s, 'typed'] }))).toHaveLength(8);
    expect(Object.keys(await schemaOf(e, { table: 'we"ird' }))).toEqual(['client "id"', 'when', 'Total']);
  }));

  it('describes a subquery (on PostgreSQL, the three source columns)', each(async (e) => {
    const source = { query: 'SELECT customer_id AS c, tz AS t, amount_dec AS a FROM typed WHERE amount > 1000', columns: { customerId: 'c', time: 't', amount: 'a' } };
    const schema = await schemaOf(e, source);
    expect(Object.keys(schema).sort()).toEqual(['a', 'c', 't']);
    expect(schema.t!.toUpperCase()).toBe('TIMESTAMP WITH TIME ZONE');
    expect(schema.a!.toUpperCase()).toMatch(/^(DECIMAL|NUMERIC)/);
  }));

  it('an unknown column is a CrmError at source.columns.<field>', each(async (e) => {
    const schema = await schemaOf(e, { table: 'typed' });
    const err = crmError(() => summarizeCustomersSql({ table: 'typed', columns: { time: 'ts', amount: 'total' }, schema }, { ...OPTIONS, dialect: e.dialect }));
    expect(err).toMatchObject({ code: 'invalid_input', path: ['source', 'columns', 'amount'] });
    expect(err.message).toContain('"total"');
  }));

  it('an amount of type VARCHAR/TEXT is a CrmError at source.columns.amount', each(async (e) => {
    const schema = await schemaOf(e, { table: 'typed' });
    expect(crmError(() => summarizeCustomersSql({ table: 'typed', columns: { time: 'ts', amount: 'amount_text' }, schema }, { ...OPTIONS, dialect: e.dialect }))).toMatchObject({
      code: 'invalid_input',
      path: ['source', 'columns', 'amount'],
    });
  }));

  it('a time of type VARCHAR/TEXT is a CrmError at source.columns.time', each(async (e) => {
    const schema = await schemaOf(e, { table: 'typed' });
    expect(crmError(() => summarizeCustomersSql({ table: 'typed', columns: { time: 'time_text' }, schema }, { ...OPTIONS, dialect: e.dialect }))).toMatchObject({
      code: 'invalid_input',
      path: ['source', 'columns', 'time'],
    });
  }));

  it('infers timestamptz (and date) from the schema, and the summaries equal those of the TIMESTAMP column', each(async (e) => {
    const schema = await schemaOf(e, { table: 'typed' });
    const inferred = summarizeCustomersSql({ table: 'typed', columns: { time: 'tz', amount: 'amount_dec' }, schema }, { ...OPTIONS, dialect: e.dialect });
    const stated = summarizeCustomersSql({ table: 'typed', columns: { time: 'tz', amount: 'amount_dec' }, timeType: 'timestamptz' }, { ...OPTIONS, dialect: e.dialect });
    expect(inferred.text).toBe(stated.text);
    const byDate = summarizeCustomersSql({ table: 'typed', columns: { time: 'd' }, schema }, { ...OPTIONS, dialect: e.dialect });
    expect(byDate.text).toBe(summarizeCustomersSql({ table: 'typed', columns: { time: 'd' }, timeType: 'date' }, { ...OPTIONS, dialect: e.dialect }).text);
    const plain = summarizeCustomersSql({ table: 'typed', columns: { time: 'ts' }, timeType: 'timestamp' }, { ...OPTIONS, dialect: e.dialect });
    const sort = (rows: ReturnType<typeof readSummaries>) => rows.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
    expect(sort(readSummaries(await e.run(inferred)))).toEqual(sort(readSummaries(await e.run(plain))));
    // A timeType that contradicts the schema is refused.
    expect(crmError(() => summarizeCustomersSql({ table: 'typed', columns: { time: 'd' }, timeType: 'epochMs', schema }, { ...OPTIONS, dialect: e.dialect }))).toMatchObject({
      code: 'invalid_input',
      path: ['source', 'timeType'],
    });
  }));

  it('a table that does not exist: the engine refuses (DuckDB) or the description is empty (PostgreSQL)', each(async (e) => {
    const q = describeSql({ table: 'no_such_table' }, { dialect: e.dialect });
    if (e.dialect === 'duckdb') await expect(e.run(q)).rejects.toThrow(/no_such_table/);
    else expect(crmError(() => readSchema([]))).toMatchObject({ code: 'invalid_input' }), expect(await e.run(q)).toEqual([]);
  }));
});

describe('describeSql and readSchema without an engine', () => {
  it('binds PostgreSQL names as parameters, never in the text', () => {
    const q = describeSql({ table: ['sales', "o'rders"] }, { dialect: 'postgres' });
    expect(q.params).toEqual(["o'rders", 'sales']);
    expect(q.text).not.toContain('rders');
  });

  it('refuses the warehouses, a bad source and too many name parts', () => {
    for (const dialect of ['spark', 'bigquery', 'snowflake'] as const) {
      expect(crmError(() => describeSql({ table: 'orders' }, { dialect }))).toMatchObject({ code: 'invalid_argument', path: ['options', 'dialect'] });
    }
    expect(crmError(() => describeSql({} as never))).toMatchObject({ code: 'invalid_argument' });
    expect(crmError(() => describeSql({ table: 'a.b.c.d' }))).toMatchObject({ code: 'invalid_argument', path: ['source', 'table'] });
    expect(crmError(() => describeSql({ table: 'orders' }, { dialekt: 'duckdb' } as never))).toMatchObject({ code: 'invalid_argument' });
  });

  it('readSchema: NULL names, duplicates and missing columns are errors; __proto__ stays a column', () => {
    expect(crmError(() => readSchema([{ name: null, type: 'INTEGER' }]))).toMatchObject({ code: 'invalid_input', path: [0, 'name'] });
    expect(crmError(() => readSchema([{ name: 'a', type: 'INTEGER' }, { name: 'a', type: 'TEXT' }]))).toMatchObject({ code: 'invalid_input', path: [1, 'name'] });
    expect(crmError(() => readSchema([{ column_name: 'a', column_type: 'INTEGER' }]))).toMatchObject({ code: 'invalid_input', path: [0, 'name'] });
    const schema = readSchema([{ name: '__proto__', type: 'TEXT' }]);
    expect(Object.keys(schema)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(schema)).toBe(Object.prototype);
  });
});
