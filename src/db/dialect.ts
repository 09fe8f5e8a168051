/**
 * The only place that branches on the SQL dialect: upserts, insert-ignore, string aggregation,
 * case-insensitive matching, result shapes, retryable errors and batch sizes.
 */
import type { Database as SqliteClient, Statement } from 'bun:sqlite';
import { type AnyColumn, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { pauseIfBusy } from '../lib/yield.ts';
import type { AppDb, DialectName } from './types.ts';

type Row = Record<string, unknown>;

/** The parts of drizzle's insert builders we use, in either dialect. */
interface InsertBuilder extends PromiseLike<unknown> {
  onConflictDoNothing(config?: { target?: AnyColumn[] }): PromiseLike<unknown>;
  onConflictDoUpdate(config: { target: AnyColumn[]; set: Row }): PromiseLike<unknown>;
  onDuplicateKeyUpdate(config: { set: Row }): PromiseLike<unknown>;
}

function insertInto(db: AppDb, table: SQLiteTable, rows: Row[]): InsertBuilder {
  return db.insert(table).values(rows as never) as unknown as InsertBuilder;
}

export interface Dialect {
  readonly name: DialectName;
  /** Bound parameters allowed in one statement (SQLite 32766, MySQL 65535), with headroom. */
  readonly maxParameters: number;
  /** Inserts rows, skipping those that hit a unique key. */
  insertIgnore(db: AppDb, table: SQLiteTable, rows: Row[]): Promise<void>;
  /** Inserts rows; on a unique-key conflict (on `target`), updates the listed columns instead. */
  upsert(db: AppDb, table: SQLiteTable, rows: Row[], target: AnyColumn[], update: AnyColumn[]): Promise<void>;
  /** Rows changed by an UPDATE or DELETE result. */
  affectedRows(result: unknown): number;
  /** `GROUP_CONCAT(DISTINCT expr ORDER BY expr SEPARATOR sep)` in the dialect's spelling. */
  groupConcatDistinct(expr: SQL | AnyColumn, separator: string): SQL<string | null>;
  /** `column` contains `text`, ignoring case, with LIKE wildcards in `text` taken literally. */
  containsIgnoringCase(column: SQL | AnyColumn, text: string): SQL;
  /** Runs raw SQL that returns rows. */
  selectRows<T extends Row>(db: AppDb, query: SQL): Promise<T[]>;
  /** Runs raw SQL that returns nothing useful. */
  execute(db: AppDb, query: SQL): Promise<void>;
  /** Runs a raw UPDATE or DELETE and returns how many rows it changed. */
  executeCount(db: AppDb, query: SQL): Promise<number>;
  /**
   * Appended to a SELECT that must lock the rows it reads until the transaction ends: `FOR UPDATE`
   * on MySQL; nothing on SQLite, whose write transaction already holds the database's only write lock.
   */
  readonly forUpdate: SQL;
  /** `forUpdate` as raw SQL text. */
  readonly forUpdateClause: string;
  /**
   * An inner join operator that keeps the tables in the written order (`a <joinInOrder> b ON …`
   * reads `a` first): `STRAIGHT_JOIN` on MySQL, `CROSS JOIN` on SQLite. For plans the planners'
   * estimates miss, such as walking an index in order and stopping after a page.
   */
  readonly joinInOrder: SQL;
  /**
   * Written after a table's alias: read it through `index` (`FORCE INDEX` on MySQL, `INDEXED BY` on
   * SQLite). For joins whose plan must not depend on statistics (stale right after a bulk load).
   */
  forceIndex(index: string): SQL;
  /**
   * True when the planner answers `a = ? AND b = ?` from two single-key indexes by intersecting
   * them, without reading rows (MySQL's index merge); SQLite reads one index and then the rows.
   */
  readonly intersectsIndexes: boolean;
  /**
   * True when write transactions never run concurrently (SQLite: one write lock for the database),
   * so that a row every writer updates (a package's count) is never waited for.
   */
  readonly serialWriters: boolean;
  /**
   * Raw SQL with `?` placeholders, for the ingest hot path: it skips the query builder (whose cost
   * dominates a 1,500-row statement) and, on SQLite, reuses prepared statements. Table and column
   * names are written unquoted (all ours are plain snake_case words); values are always bound.
   */
  selectRaw<T extends Row>(db: AppDb, text: string, params: readonly unknown[]): Promise<T[]>;
  /**
   * `selectRaw` returning each row as an array of its columns in SELECT order: no object per row,
   * for queries of thousands of rows.
   */
  selectValuesRaw(db: AppDb, text: string, params: readonly unknown[]): Promise<unknown[][]>;
  /** Runs raw SQL with `?` placeholders and returns how many rows it changed. */
  runRaw(db: AppDb, text: string, params: readonly unknown[]): Promise<number>;
  /** Runs a raw single-row INSERT into a table with an `id` key and returns the new row's id. */
  insertRawReturningId(db: AppDb, text: string, params: readonly unknown[]): Promise<number>;
  /** A timestamp as a bound parameter of raw SQL (milliseconds on SQLite, a Date on MySQL). */
  timestampParam(date: Date): unknown;
  /** Suffix of a raw INSERT that updates `update` when a row hits the unique key `target`. */
  upsertClause(target: readonly string[], update: readonly string[]): string;
  /**
   * Suffix of a raw INSERT that, when a row hits the unique key `target`, adds the inserted values
   * of `columns` to the existing ones (counts moved by deltas).
   */
  addClause(target: readonly string[], columns: readonly string[]): string;
  /** Suffix of a raw INSERT that skips rows hitting a unique key (a no-op update on MySQL, see insertIgnore). */
  readonly ignoreClause: string;
  /** True for errors that a retry of the whole transaction can fix (deadlock, lock timeout, busy). */
  isRetryable(error: unknown): boolean;
  /** True for a foreign-key failure (for example a row deleted by a concurrent GC). */
  isForeignKeyViolation(error: unknown): boolean;
}

/** Escapes LIKE wildcards so that user text matches literally (with `ESCAPE '!'`). */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const record = error as { code?: unknown; errno?: unknown; cause?: unknown };
  if (typeof record.code === 'string') return record.code;
  if (record.cause) return errorCode(record.cause);
  return '';
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`;
}

/** The driver connection behind a drizzle handle (a database or a transaction). */
function clientOf<T>(db: AppDb): T {
  return (db as unknown as { session: { client: T } }).session.client;
}

/** Prepared statements by SQL text, per SQLite connection; bounded, as texts vary with batch sizes. */
const statementCaches = new WeakMap<SqliteClient, Map<string, Statement>>();
const MAX_CACHED_STATEMENTS = 500;

function prepareCached(db: AppDb, text: string): Statement {
  const client = clientOf<SqliteClient>(db);
  let cache = statementCaches.get(client);
  if (!cache) {
    cache = new Map();
    statementCaches.set(client, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
    statement = client.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

type SqliteParam = string | number | bigint | boolean | null | Uint8Array;

interface MysqlQueryable {
  query(
    text: string | { sql: string; rowsAsArray: boolean },
    params: readonly unknown[],
  ): Promise<[unknown, unknown]>;
}

const sqliteDialect: Dialect = {
  name: 'sqlite',
  maxParameters: 32_000,
  forUpdate: sql``,
  forUpdateClause: '',
  joinInOrder: sql.raw('CROSS JOIN'),
  forceIndex: (index) => sql.raw(`INDEXED BY ${index}`),
  intersectsIndexes: false,
  serialWriters: true,
  async insertIgnore(db, table, rows) {
    if (rows.length > 0) await insertInto(db, table, rows).onConflictDoNothing();
  },
  async upsert(db, table, rows, target, update) {
    if (rows.length === 0) return;
    const set: Row = {};
    for (const column of update) set[column.name] = sql.raw(`excluded."${column.name}"`);
    await insertInto(db, table, rows).onConflictDoUpdate({ target, set: keyByProperty(table, set) });
  },
  affectedRows(result) {
    return (result as { changes?: number }).changes ?? 0;
  },
  groupConcatDistinct(expr, separator) {
    // SQLite's DISTINCT aggregate takes one argument; the default separator is ','.
    return sql<string | null>`replace(group_concat(DISTINCT ${expr}), ',', ${separator})`;
  },
  containsIgnoringCase(column, text) {
    return sql`lower(${column}) LIKE ${likePattern(text)} ESCAPE '!'`;
  },
  async selectRows<T extends Row>(db: AppDb, query: SQL) {
    return db.all<T>(query);
  },
  async execute(db, query) {
    db.run(query);
  },
  async executeCount(db, query) {
    return (db.run(query) as unknown as { changes?: number }).changes ?? 0;
  },
  // Each statement blocks the event loop; a report of tens of thousands of packages runs hundreds
  // of them in a row, so they let other requests in every 20 ms (even inside a transaction: the
  // group committer awaits the writer's work, and readers use their own connection, except on a
  // `:memory:` database).
  async selectRaw<T extends Row>(db: AppDb, text: string, params: readonly unknown[]) {
    await pauseIfBusy();
    return prepareCached(db, text).all(...(params as SqliteParam[])) as T[];
  },
  async selectValuesRaw(db, text, params) {
    await pauseIfBusy();
    return prepareCached(db, text).values(...(params as SqliteParam[])) as unknown[][];
  },
  async runRaw(db, text, params) {
    await pauseIfBusy();
    return prepareCached(db, text).run(...(params as SqliteParam[])).changes;
  },
  async insertRawReturningId(db, text, params) {
    const row = prepareCached(db, `${text} RETURNING id`).get(...(params as SqliteParam[])) as { id: number };
    return Number(row.id);
  },
  timestampParam: (date) => date.getTime(),
  upsertClause(target, update) {
    const set = update.map((column) => `${column} = excluded.${column}`).join(', ');
    return ` ON CONFLICT (${target.join(', ')}) DO UPDATE SET ${set}`;
  },
  addClause(target, columns) {
    const set = columns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ');
    return ` ON CONFLICT (${target.join(', ')}) DO UPDATE SET ${set}`;
  },
  ignoreClause: ' ON CONFLICT DO NOTHING',
  isRetryable(error) {
    return errorCode(error).startsWith('SQLITE_BUSY') || /database is locked/.test(errorText(error));
  },
  isForeignKeyViolation(error) {
    return (
      errorCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY' || /FOREIGN KEY constraint/.test(errorText(error))
    );
  },
};

const mysqlDialect: Dialect = {
  name: 'mysql',
  maxParameters: 60_000,
  forUpdate: sql` FOR UPDATE`,
  forUpdateClause: ' FOR UPDATE',
  joinInOrder: sql.raw('STRAIGHT_JOIN'),
  forceIndex: (index) => sql.raw(`FORCE INDEX (${index})`),
  intersectsIndexes: true,
  serialWriters: false,
  async insertIgnore(db, table, rows) {
    if (rows.length === 0) return;
    // INSERT IGNORE would also swallow foreign-key and truncation errors; a no-op update does not.
    const [first] = Object.values(getTableColumns(table));
    const set = first ? { [first.name]: sql.raw(`\`${first.name}\``) } : {};
    await insertInto(db, table, rows).onDuplicateKeyUpdate({ set: keyByProperty(table, set) });
  },
  async upsert(db, table, rows, _target, update) {
    if (rows.length === 0) return;
    const set: Row = {};
    for (const column of update) set[column.name] = sql.raw(`VALUES(\`${column.name}\`)`);
    await insertInto(db, table, rows).onDuplicateKeyUpdate({ set: keyByProperty(table, set) });
  },
  affectedRows(result) {
    const header = Array.isArray(result) ? result[0] : result;
    return (header as { affectedRows?: number }).affectedRows ?? 0;
  },
  groupConcatDistinct(expr, separator) {
    return sql<string | null>`group_concat(DISTINCT ${expr} ORDER BY ${expr} SEPARATOR ${separator})`;
  },
  containsIgnoringCase(column, text) {
    // Identifier columns are utf8mb4_bin (case-sensitive); compare lower-cased copies.
    return sql`lower(${column}) LIKE ${likePattern(text)} ESCAPE '!'`;
  },
  async selectRows<T extends Row>(db: AppDb, query: SQL) {
    const result = (await (db as unknown as { execute(q: SQL): Promise<unknown> }).execute(query)) as [
      T[],
      unknown,
    ];
    return result[0];
  },
  async execute(db, query) {
    await (db as unknown as { execute(q: SQL): Promise<unknown> }).execute(query);
  },
  async executeCount(db, query) {
    const result = await (db as unknown as { execute(q: SQL): Promise<unknown> }).execute(query);
    const header = Array.isArray(result) ? result[0] : result;
    return (header as { affectedRows?: number }).affectedRows ?? 0;
  },
  async selectRaw<T extends Row>(db: AppDb, text: string, params: readonly unknown[]) {
    const [rows] = await clientOf<MysqlQueryable>(db).query(text, params);
    return rows as T[];
  },
  async selectValuesRaw(db, text, params) {
    const [rows] = await clientOf<MysqlQueryable>(db).query({ sql: text, rowsAsArray: true }, params);
    return rows as unknown[][];
  },
  async runRaw(db, text, params) {
    const [header] = await clientOf<MysqlQueryable>(db).query(text, params);
    return (header as { affectedRows?: number }).affectedRows ?? 0;
  },
  async insertRawReturningId(db, text, params) {
    const [header] = await clientOf<MysqlQueryable>(db).query(text, params);
    return Number((header as { insertId: number }).insertId);
  },
  timestampParam: (date) => date,
  upsertClause(_target, update) {
    return ` ON DUPLICATE KEY UPDATE ${update.map((column) => `${column} = VALUES(${column})`).join(', ')}`;
  },
  addClause(_target, columns) {
    return ` ON DUPLICATE KEY UPDATE ${columns.map((column) => `${column} = ${column} + VALUES(${column})`).join(', ')}`;
  },
  ignoreClause: ' ON DUPLICATE KEY UPDATE id = id',
  isRetryable(error) {
    const code = errorCode(error);
    return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
  },
  isForeignKeyViolation(error) {
    const code = errorCode(error);
    return code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_NO_REFERENCED_ROW';
  },
};

/** drizzle's `set` objects are keyed by property name (camelCase), not by SQL column name. */
function keyByProperty(table: SQLiteTable, byColumnName: Row): Row {
  const out: Row = {};
  for (const [property, column] of Object.entries(getTableColumns(table))) {
    if (column.name in byColumnName) out[property] = byColumnName[column.name];
  }
  return out;
}

/** The dialect adapter for a database kind. */
export function getDialect(name: DialectName): Dialect {
  return name === 'sqlite' ? sqliteDialect : mysqlDialect;
}

/**
 * Inserts `rows` (arrays of values in the order of `columns`) with raw multi-row INSERTs ending in
 * `suffix`. On SQLite the batch sizes come from a fixed set, so that a few cached statements serve
 * every row count; MySQL gets as few statements as the parameter limit allows.
 */
export async function insertRaw(
  dialect: Dialect,
  db: AppDb,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix = '',
): Promise<void> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const maxRows = Math.max(1, Math.floor(dialect.maxParameters / columns.length));
  let start = 0;
  while (start < rows.length) {
    const left = rows.length - start;
    const size =
      dialect.name === 'mysql' ? Math.min(left, maxRows) : (SQLITE_BATCH_SIZES.find((n) => n <= left) ?? 1);
    const params: unknown[] = [];
    for (let i = start; i < start + size; i++)
      for (const value of rows[i] as readonly unknown[]) params.push(value);
    const text = `${head}${Array.from({ length: size }, () => tuple).join(', ')}${suffix}`;
    await dialect.runRaw(db, text, params);
    start += size;
  }
}

const SQLITE_BATCH_SIZES = [256, 64, 16, 4, 1];

/**
 * The inside of a raw `IN (…)` for `values`: placeholders and the values to bind. On SQLite the
 * list is padded to a power of two with its last value (which changes nothing), so that a few cached
 * statements serve every length. An empty list matches nothing.
 */
export function inList<T>(dialect: Dialect, values: readonly T[]): { text: string; params: T[] } {
  if (values.length === 0) return { text: 'NULL', params: [] };
  const params = [...values];
  if (dialect.name === 'sqlite') {
    const last = values[values.length - 1] as T;
    while ((params.length & (params.length - 1)) !== 0) params.push(last);
  }
  return { text: Array.from({ length: params.length }, () => '?').join(', '), params };
}

/** Splits rows into batches that stay under the dialect's bound-parameter limit. */
export function batchRows<T>(dialect: Dialect, rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(dialect.maxParameters / Math.max(1, columns)));
  const batches: T[][] = [];
  for (let start = 0; start < rows.length; start += size) batches.push(rows.slice(start, start + size));
  return batches;
}
