/**
 * The MySQL/MariaDB database: a connection pool; reads on the pool, each transaction on one pooled
 * connection with its own query builder and raw-SQL runner.
 */
import { createHash } from 'node:crypto';
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { MySqlDialect } from 'drizzle-orm/mysql-core';
import { drizzle as drizzleMysql, type MySql2Database } from 'drizzle-orm/mysql2';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { createPool, type Pool, type PoolConnection, type QueryOptions } from 'mysql2/promise';
import { mysqlCapabilities } from './capabilities.ts';
import {
  type Database,
  DatabaseOpenError,
  logStatement,
  type OpenDatabaseOptions,
  redactUrl,
} from './database.ts';
import { mysqlErrors } from './driver-errors.ts';
import * as mysqlTables from './schema/mysql.ts';
import { type Row, type SqlRunner, setByProperty, type Transaction } from './sql-runner.ts';
import { mysqlSpelling } from './sql-spelling.ts';
import type { AppDb, Tables } from './types.ts';

/** Every MySQL connection's isolation level (see openMysql). */
const SESSION_ISOLATION = 'READ COMMITTED';

export async function openMysql(url: string, options: OpenDatabaseOptions): Promise<Database> {
  let parsed: { url: URL; database: string; user: string; password: string };
  try {
    const parts = new URL(url.replace(/^mariadb:/, 'mysql:'));
    parsed = {
      url: parts,
      database: decodeURIComponent(parts.pathname.replace(/^\//, '')),
      user: decodeURIComponent(parts.username) || 'root',
      password: decodeURIComponent(parts.password),
    };
  } catch {
    throw new DatabaseOpenError(
      `The MySQL URL '${redactUrl(url)}' is not a valid URL: write mysql://USER:PASSWORD@HOST:PORT/DATABASE, with % and other special characters %-encoded`,
    );
  }
  const { database, user, password } = parsed;
  if (!database) {
    throw new DatabaseOpenError(`The MySQL URL '${redactUrl(url)}' names no database: add /DATABASE`);
  }
  const host = parsed.url.hostname || '127.0.0.1';
  const port = parsed.url.port ? Number(parsed.url.port) : 3306;
  const pool = createPool({
    host,
    port,
    user,
    password,
    database,
    charset: 'utf8mb4',
    // Timestamps are UTC on the wire and in the columns.
    timezone: 'Z',
    connectionLimit: options.connectionLimit ?? 10,
    waitForConnections: true,
    multipleStatements: false,
  });
  // Reports run READ COMMITTED; as every connection's default it costs no statement per transaction
  // (drizzle sends `SET TRANSACTION ISOLATION LEVEL` before each BEGIN that names a level, a round
  // trip of about a tenth of a dpkg-hook report). Transactions that name no level still get
  // REPEATABLE READ, MySQL's default, explicitly (see `transaction`).
  pool.on('connection', (connection) => {
    // The event passes the callback-style connection (mysql2's typings say otherwise). The statement
    // is queued ahead of the connection's first query; a failure surfaces on that query.
    const core = connection as unknown as { query(text: string, done: (error: unknown) => void): void };
    core.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${SESSION_ISOLATION}`, () => {});
  });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseOpenError(describeMysqlFailure(error, { host, port, user, database }), {
      cause: error,
    });
  }
  const connectionLimit = options.connectionLimit ?? 10;
  // The pool's documented events, counted: connections opened, checked out and returned, requests queued.
  const counts = { opened: 0, acquired: 0, released: 0, enqueued: 0 };
  pool.on('connection', () => counts.opened++);
  pool.on('acquire', () => counts.acquired++);
  pool.on('release', () => counts.released++);
  pool.on('enqueue', () => counts.enqueued++);
  const logQuery = options.logQueries ? logStatement : undefined;
  const db = portable(
    drizzleMysql({ client: pool, schema: mysqlTables, mode: 'default', logger: options.logQueries }),
  );
  // One transaction handle per pooled connection, made when the connection first runs a transaction.
  const handles = new WeakMap<object, Transaction>();
  const transactionOn = (connection: PoolConnection): Transaction => {
    let handle = handles.get(connection.connection);
    if (!handle) {
      const orm = drizzleMysql({
        client: connection,
        schema: mysqlTables,
        mode: 'default',
        logger: options.logQueries,
      });
      handle = createMysqlTransaction(portable(orm), createMysqlRunner(connection, logQuery));
      handles.set(connection.connection, handle);
    }
    return handle;
  };
  return {
    kind: 'mysql',
    spelling: mysqlSpelling,
    capabilities: mysqlCapabilities,
    errors: mysqlErrors,
    db,
    sql: createMysqlRunner(pool, logQuery),
    tables: mysqlTables as unknown as Tables,
    location: redactUrl(url),
    async transaction(work, transactionOptions) {
      const isolation = transactionOptions?.isolation ?? 'repeatable read';
      const connection = await pool.getConnection();
      try {
        // Applies to the next transaction only; the session's own level needs no statement.
        if (isolation !== SESSION_ISOLATION.toLowerCase())
          await connection.query(`SET TRANSACTION ISOLATION LEVEL ${isolation.toUpperCase()}`);
        await connection.query('BEGIN');
        try {
          const result = await work(transactionOn(connection));
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await rollBack(connection);
          throw error;
        }
      } finally {
        connection.release();
      }
    },
    async withNamedLock(lock, timeoutSeconds, work) {
      // GET_LOCK belongs to the connection that took it: take and release it on the same one.
      const name = lockNameFor(lock, database);
      const connection = await pool.getConnection();
      try {
        const [rows] = await connection.query('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds]);
        if (Number((rows as { got: unknown }[])[0]?.got) !== 1)
          throw new Error(
            `Timed out after ${timeoutSeconds} s waiting for the lock '${lock}' (another instance holds it)`,
          );
        try {
          return await work();
        } finally {
          await connection.query('SELECT RELEASE_LOCK(?)', [name]);
        }
      } finally {
        connection.release();
      }
    },
    activity() {
      return {
        open: Math.min(counts.opened, connectionLimit),
        inUse: Math.max(0, counts.acquired - counts.released),
        max: connectionLimit,
        // The events do not tell a queued request's later acquire from any other: the queue's length
        // is unknown, how often requests had to queue is not.
        waiting: null,
        queuedTotal: counts.enqueued,
      };
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * The MySQL query builder seen through the type the store's queries are written against (the
 * SQLite builder's: both schemas declare the same tables and columns, which the schema parity test
 * checks, and the builders share the methods the store uses). The one place the two types meet.
 */
function portable(db: MySql2Database<typeof mysqlTables>): AppDb {
  return db as unknown as AppDb;
}

/** Rolls back; a connection that cannot is destroyed rather than returned to the pool mid-transaction. */
async function rollBack(connection: PoolConnection): Promise<void> {
  try {
    await connection.query('ROLLBACK');
  } catch {
    connection.destroy();
  }
}

/** drizzle's raw `execute` reads DATETIME columns as text; `selectSql` keeps that. */
const DATETIMES_AS_TEXT = (field: { type: string; string(): string | null }, next: () => unknown) =>
  field.type === 'TIMESTAMP' || field.type === 'DATETIME' || field.type === 'DATE' ? field.string() : next();

/** Raw SQL on the pool (reads) or on a transaction's connection. */
function createMysqlRunner(client: Pool | PoolConnection, logQuery?: typeof logStatement): SqlRunner {
  const spelled = new MySqlDialect();
  const query = async (text: string | QueryOptions, params: readonly unknown[]): Promise<unknown> => {
    logQuery?.(typeof text === 'string' ? text : text.sql, params);
    const [result] = await client.query(text as QueryOptions, params as unknown[]);
    return result;
  };
  const changed = (header: unknown) => (header as { affectedRows?: number }).affectedRows ?? 0;
  return {
    async select<T extends Row>(text: string, params: readonly unknown[] = []) {
      return (await query(text, params)) as T[];
    },
    async selectValues(text, params = []) {
      return (await query({ sql: text, rowsAsArray: true }, params)) as unknown[][];
    },
    async run(text, params = []) {
      return changed(await query(text, params));
    },
    async insertReturningId(text, params) {
      return Number(((await query(text, params)) as { insertId: number }).insertId);
    },
    async selectSql<T extends Row>(statement: SQL) {
      const { sql: text, params } = spelled.sqlToQuery(statement);
      return (await query({ sql: text, typeCast: DATETIMES_AS_TEXT }, params)) as T[];
    },
    async runSql(statement) {
      const { sql: text, params } = spelled.sqlToQuery(statement);
      return changed(await query(text, params));
    },
  };
}

/** The transaction handle of one pooled connection. */
function createMysqlTransaction(db: AppDb, runner: SqlRunner): Transaction {
  return {
    db,
    sql: runner,
    async insertIgnore(table, rows) {
      if (rows.length === 0) return;
      // A no-op update of the first column (see SqlSpelling.ignoreClause).
      const [first] = Object.values(getTableColumns(table));
      const set = first ? { [first.name]: sql.raw(`\`${first.name}\``) } : {};
      await mysqlInsert(db, table, rows).onDuplicateKeyUpdate({ set: setByProperty(table, set) });
    },
    async upsert(table, rows, _target, update) {
      if (rows.length === 0) return;
      const set: Row = {};
      for (const column of update) set[column.name] = sql.raw(`VALUES(\`${column.name}\`)`);
      await mysqlInsert(db, table, rows).onDuplicateKeyUpdate({ set: setByProperty(table, set) });
    },
  };
}

/** The MySQL insert builder behind the portable type (it has onDuplicateKeyUpdate, not onConflict…). */
function mysqlInsert(db: AppDb, table: SQLiteTable, rows: Row[]) {
  return db.insert(table).values(rows as never) as unknown as {
    onDuplicateKeyUpdate(config: { set: Row }): PromiseLike<unknown>;
  };
}

/** Why MySQL refused us, in words that say what to do. */
function describeMysqlFailure(
  error: unknown,
  at: { host: string; port: number; user: string; database: string },
): string {
  const server = `MySQL at ${at.host.includes(':') ? `[${at.host}]` : at.host}:${at.port}`;
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'ER_BAD_DB_ERROR':
      return (
        `The database '${at.database}' does not exist on ${server}: create it with ` +
        `CREATE DATABASE \`${at.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;`
      );
    case 'ER_ACCESS_DENIED_ERROR':
      return `${server} refused the user '${at.user}' (access denied): check the user and password of the database URL`;
    case 'ER_DBACCESS_DENIED_ERROR':
      return `The user '${at.user}' may not use the database '${at.database}' on ${server}: an administrator must grant it (GRANT ALL ON \`${at.database}\`.* TO '${at.user}'@'HOST';)`;
    case 'ECONNREFUSED':
      return `Cannot connect to ${server}: connection refused (is the server running, on this port?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot connect to ${server}: unknown host '${at.host}'`;
    case 'ETIMEDOUT':
      return `Cannot connect to ${server}: no answer (timed out)`;
    default:
      return `Cannot connect to ${server}: ${(error as Error | undefined)?.message ?? String(error)}`;
  }
}

/**
 * GET_LOCK names are global to the MariaDB server, not to a database: the database's name is part of
 * the lock's, so that two DebMonitor databases on one server (two sites, or tests) never wait for each
 * other. At most 64 characters, the server's limit: a long database name is hashed.
 */
export function lockNameFor(lock: string, database: string): string {
  const name = `${lock}:${database}`;
  if (name.length <= 64) return name;
  return `${lock}:${createHash('sha256').update(database).digest('hex').slice(0, 16)}`;
}
