// Real engines for the equivalence tests: DuckDB embedded (always) and PostgreSQL (CRM_PG_URL;
// required when CI is set, skipped with a message otherwise).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import type { Dialect, SqlParam, SqlQuery } from '../src/index.ts';

export type Row = Record<string, unknown>;

export interface Engine {
  readonly dialect: Extract<Dialect, 'duckdb' | 'postgres'>;
  /** Runs a query built by @crm/sql (or plain SQL) and returns its rows as objects, values as the driver gives them. */
  run(query: SqlQuery | string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs plain SQL (DDL, loads) without results. */
  exec(sql: string): Promise<void>;
  /** Creates (or replaces) a table from rows, with the given column types. */
  load(table: string, columns: Readonly<Record<string, string>>, rows: readonly (readonly unknown[])[]): Promise<void>;
  close(): Promise<void>;
}

export async function duckdb(): Promise<Engine> {
  const instance = await DuckDBInstance.create(':memory:');
  const con: DuckDBConnection = await instance.connect();
  const engine: Engine = {
    dialect: 'duckdb',
    async run(query, params) {
      const text = typeof query === 'string' ? query : query.text;
      const values = typeof query === 'string' ? (params ?? []) : query.params;
      const reader = await con.runAndReadAll(text, values as never);
      return reader.getRowObjectsJS() as Row[];
    },
    async exec(sql) {
      await con.run(sql);
    },
    async load(table, columns, rows) {
      await con.run(`DROP TABLE IF EXISTS ${table}`);
      await con.run(`CREATE TABLE ${table} (${Object.entries(columns).map(([n, t]) => `${n} ${t}`).join(', ')})`);
      const appender = await con.createAppender(table.replaceAll('"', ''));
      for (const row of rows) {
        for (const v of row) {
          if (v === null || v === undefined) appender.appendNull();
          else if (typeof v === 'number') appender.appendDouble(v);
          else if (typeof v === 'bigint') appender.appendBigInt(v);
          else appender.appendVarchar(String(v));
        }
        appender.endRow();
      }
      appender.closeSync();
    },
    async close() {
      con.closeSync();
      instance.closeSync();
    },
  };
  return engine;
}

/** PostgreSQL from CRM_PG_URL, or undefined (with the reason) when none is configured outside CI. */
export async function postgres(): Promise<Engine | string> {
  const url = process.env.CRM_PG_URL;
  if (url === undefined || url === '') {
    if (process.env.CI) throw new Error('CRM_PG_URL is not set in CI: .ci/run starts a PostgreSQL cluster and exports it');
    return 'PostgreSQL tests skipped: set CRM_PG_URL (scripts/pg-cluster.sh start prints one)';
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  // Each test file works in its own schema, so files can run in parallel on one server.
  const schema = `crm_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  const engine: Engine = {
    dialect: 'postgres',
    async run(query, params) {
      const text = typeof query === 'string' ? query : query.text;
      const values = typeof query === 'string' ? (params ?? []) : query.params;
      const res = await client.query({ text, values: values as unknown[] });
      return res.rows as Row[];
    },
    async exec(sql) {
      await client.query(sql);
    },
    async load(table, columns, rows) {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query(`CREATE TABLE ${table} (${Object.entries(columns).map(([n, t]) => `${n} ${t}`).join(', ')})`);
      const names = Object.keys(columns);
      const chunk = Math.max(1, Math.floor(60_000 / names.length));
      for (let i = 0; i < rows.length; i += chunk) {
        const part = rows.slice(i, i + chunk);
        const values: unknown[] = [];
        const tuples = part.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
        await client.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
    },
    async close() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
  return engine;
}
