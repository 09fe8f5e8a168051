/**
 * Raw SQL on one connection (the reader, or a transaction's), and what a transaction hands its work.
 * Each database's runner owns its driver handle (./sqlite-database.ts, ./mysql-database.ts); the
 * store reaches the driver only through these methods.
 */
import { type AnyColumn, getTableColumns, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Capabilities } from './capabilities.ts';
import type { AppDb } from './types.ts';

export type Row = Record<string, unknown>;

export interface SqlRunner {
  /**
   * Runs raw SQL with `?` placeholders that returns rows. For the ingest hot path: it skips the
   * query builder (whose cost dominates a 1,500-row statement) and, on SQLite, reuses prepared
   * statements. Table and column names come from the schema (./sql-names.ts); values are always bound.
   */
  select<T extends Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** `select` returning each row as an array of its columns in SELECT order: no object per row. */
  selectValues(text: string, params?: readonly unknown[]): Promise<unknown[][]>;
  /** Runs raw SQL and returns how many rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Runs a raw single-row INSERT into a table with an `id` key and returns the new row's id. */
  insertReturningId(text: string, params: readonly unknown[]): Promise<number>;
  /** Runs a drizzle `sql` query that returns rows. */
  selectSql<T extends Row>(query: SQL): Promise<T[]>;
  /** Runs a drizzle `sql` statement and returns how many rows it changed. */
  runSql(query: SQL): Promise<number>;
}

/** What a transaction's work gets: the query builder and raw SQL, both on the transaction's connection. */
export interface Transaction {
  readonly db: AppDb;
  readonly sql: SqlRunner;
  /** Inserts rows, skipping those that hit a unique key. */
  insertIgnore(table: SQLiteTable, rows: Row[]): Promise<void>;
  /** Inserts rows; on a unique-key conflict (on `target`), updates the listed columns instead. */
  upsert(table: SQLiteTable, rows: Row[], target: AnyColumn[], update: AnyColumn[]): Promise<void>;
}

/** Batch sizes of raw INSERTs where statements are reused: a few prepared statements serve every count. */
const REUSED_BATCH_SIZES = [256, 64, 16, 4, 1];

/**
 * Where statements are reused, up to this many rows go in one statement of their exact count (at
 * most this many more prepared statements per table): a report's small writes (its events, pairs,
 * count deltas) were three or four statements of 4 and 1 rows each.
 */
const ONE_STATEMENT_ROWS = 16;

/**
 * Inserts `rows` (arrays of values in the order of `columns`) with raw multi-row INSERTs ending in
 * `suffix`: batches of fixed sizes where statements are reused, otherwise as few statements as the
 * parameter limit allows. `oneStatement` asks for the fewest statements everywhere: for small
 * inserts whose row counts vary, where a statement per row count costs less than several statements.
 */
export async function insertRows(
  runner: SqlRunner,
  capabilities: Capabilities,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix = '',
  { oneStatement = false }: { oneStatement?: boolean } = {},
): Promise<void> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const maxRows = Math.max(1, Math.floor(capabilities.maxParameters / columns.length));
  let start = 0;
  while (start < rows.length) {
    const left = rows.length - start;
    const size =
      capabilities.reusesStatements && !oneStatement && left > ONE_STATEMENT_ROWS
        ? (REUSED_BATCH_SIZES.find((n) => n <= left) ?? 1)
        : Math.min(left, maxRows);
    const params: unknown[] = [];
    for (let i = start; i < start + size; i++)
      for (const value of rows[i] as readonly unknown[]) params.push(value);
    const text = `${head}${Array.from({ length: size }, () => tuple).join(', ')}${suffix}`;
    await runner.run(text, params);
    start += size;
  }
}

/**
 * The inside of a raw `IN (…)` for `values`: placeholders and the values to bind. Where statements
 * are reused, the list is padded to a power of two with its last value (which changes nothing). An
 * empty list matches nothing.
 */
export function inList<T>(capabilities: Capabilities, values: readonly T[]): { text: string; params: T[] } {
  if (values.length === 0) return { text: 'NULL', params: [] };
  const params = [...values];
  if (capabilities.reusesStatements) {
    const last = values[values.length - 1] as T;
    while ((params.length & (params.length - 1)) !== 0) params.push(last);
  }
  return { text: Array.from({ length: params.length }, () => '?').join(', '), params };
}

/** Splits rows into batches that stay under the bound-parameter limit. */
export function batchRows<T>(capabilities: Capabilities, rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(capabilities.maxParameters / Math.max(1, columns)));
  const batches: T[][] = [];
  for (let start = 0; start < rows.length; start += size) batches.push(rows.slice(start, start + size));
  return batches;
}

/** drizzle's `set` objects are keyed by property name (camelCase), not by SQL column name. */
export function setByProperty(table: SQLiteTable, byColumnName: Row): Row {
  const out: Row = {};
  for (const [property, column] of Object.entries(getTableColumns(table))) {
    if (column.name in byColumnName) out[property] = byColumnName[column.name];
  }
  return out;
}
