/**
 * Opens the database named by a URL (`sqlite:PATH` or `mysql://user:pass@host:port/db`). The only
 * module that constructs drivers.
 */
import { Database as SqliteClient } from 'bun:sqlite';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { createPool } from 'mysql2/promise';
import type { Logger } from '../lib/logger.ts';
import { type Dialect, getDialect } from './dialect.ts';
import { createGroupCommitter } from './group-commit.ts';
import * as mysqlTables from './schema/mysql.ts';
import * as sqliteTables from './schema/sqlite.ts';
import type { AppDb, DialectName, Tables } from './types.ts';
import { createWalCheckpointer, type WalCheckpointerOptions } from './wal-checkpointer.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./debmonitor.sqlite';

/** An open database: reads go through `db`; every write goes through `transaction`. */
export interface Database {
  readonly kind: DialectName;
  readonly dialect: Dialect;
  /** For reads. On SQLite this connection is read-only, so a stray write fails loudly. */
  readonly db: AppDb;
  readonly tables: Tables;
  /** A human-readable location without credentials, for logs. */
  readonly location: string;
  /**
   * Runs `work` in one transaction and commits when it resolves. On SQLite the write lock is taken
   * up front (BEGIN IMMEDIATE) and writers in this process queue, so readers never wait and a
   * report is never half-visible; writers that queued together share one COMMIT, each in its own
   * savepoint (a failing one changes nothing, the others commit), and each settles after that
   * COMMIT. `work` must not commit, roll back or hold the writer for long.
   */
  transaction<T>(work: (tx: AppDb) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Checks that the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How a transaction isolates itself (MySQL only; SQLite transactions are serializable). */
export interface TransactionOptions {
  /**
   * `read committed` lets a report see catalog rows (names, versions) that a concurrent report
   * committed after this transaction began, and takes no gap locks.
   */
  isolation?: 'read committed' | 'repeatable read';
}

export interface OpenDatabaseOptions {
  /** SQLite: how long to wait for another process's write lock, in ms. */
  busyTimeoutMs?: number;
  /** MySQL: pool size. */
  connectionLimit?: number;
  /** Log every SQL statement. */
  logQueries?: boolean;
  /** SQLite: overrides of the WAL checkpointer's settings (tests). */
  walCheckpoints?: Partial<WalCheckpointerOptions>;
  /** Where the database reports what it does in the background (the WAL checkpointer). */
  log?: Pick<Logger, 'info' | 'warn'>;
}

/** Opens `url`; throws with a message naming the problem when the URL is not understood. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), options);
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return openMysql(url, options);
  throw new Error(
    `Unsupported database URL '${redactUrl(url)}': use sqlite:PATH (for example ${DEFAULT_DATABASE_URL}) or mysql://USER:PASSWORD@HOST:PORT/DATABASE`,
  );
}

/** Hides the password of a database URL. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/**
 * The writer's page cache, in KiB. A cold report inserts 1,500 rows at random places of the
 * host_packages package and version indexes (about 35 MB at 1,000 hosts); with SQLite's default
 * 2 MB nearly every one of those pages is read back from the file, which was half the cost of a
 * cold report. Allocated as pages are used.
 */
const WRITER_CACHE_KIB = 48 * 1024;

/** Most reports (or other writers) committed together; see group-commit.ts. */
const GROUP_MAX_WRITERS = 8;
/** No writer joins a group that has run this long (ms): bounds the first writer's wait. */
const GROUP_MAX_MS = 250;

function openSqlite(path: string, options: OpenDatabaseOptions): Database {
  const file = path.replace(/^\/\/(?=\/)/, '') || './debmonitor.sqlite';
  const inMemory = file === ':memory:';
  const writer = new SqliteClient(file, { create: true, readwrite: true, strict: true });
  writer.exec('PRAGMA journal_mode = WAL');
  writer.exec('PRAGMA synchronous = NORMAL');
  writer.exec('PRAGMA foreign_keys = ON');
  writer.exec(`PRAGMA cache_size = -${WRITER_CACHE_KIB}`);
  writer.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // A second, read-only connection: readers see the last committed state while a report is applied.
  const reader = inMemory ? writer : new SqliteClient(file, { readonly: true, strict: true });
  if (!inMemory) {
    reader.exec('PRAGMA foreign_keys = ON');
    reader.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  }
  const checkpointer = inMemory
    ? undefined
    : createWalCheckpointer(writer, resolve(file), {
        startAfterBytes: 4 * 1024 * 1024,
        // Up to 160 MB of WAL under sustained writes. The writer holds still for 25-45 ms each time
        // the WAL starts over (the last pages' random writes to the database file): after nearly
        // every checkpoint at 10,000 pages when 4 agents send full reports, at 40,000 pages a
        // quarter as often (steady p95 24-25 ms -> 18-20 ms). A server between bursts starts the
        // WAL over at no cost: the checkpoint catches up while nobody writes.
        restartFrames: 40_000,
        // A checkpoint fsyncs the WAL and the database and copies every page written since the last
        // one: every 50 ms, the worker kept a core busy that reports (and agents on a small server)
        // need; every 500 ms, a hot page is copied back once for ten times as many reports.
        minIntervalMs: 500,
        // Reports first: a nicer worker gave 334-368 steady reports/s instead of 315-319 (4 agents).
        workerNiceness: 10,
        // Without the worker, SQLite's automatic checkpoint at 10,000 pages (instead of its default
        // 1,000: each hot page copied back once for many reports, not once per report).
        fallbackAutocheckpoint: 10_000,
        onStart: () => options.log?.info('WAL checkpoints run in a worker thread'),
        onFailure: (message) => options.log?.warn(`${message}; the writer checkpoints the WAL itself`),
        ...options.walCheckpoints,
      });
  const config = { schema: sqliteTables, logger: options.logQueries ?? false };
  const writeDb = drizzleSqlite(writer, config) as AppDb;
  const readDb = drizzleSqlite(reader, config) as AppDb;
  const writers = createGroupCommitter(writer, writeDb, {
    maxWriters: GROUP_MAX_WRITERS,
    maxGroupMs: GROUP_MAX_MS,
    beforeGroup: () => checkpointer?.beforeWrite(),
    afterCommit: () => checkpointer?.committed(),
  });

  return {
    kind: 'sqlite',
    dialect: getDialect('sqlite'),
    db: readDb,
    tables: sqliteTables,
    location: `sqlite:${file}`,
    transaction(work) {
      return writers.run(work);
    },
    async ping() {
      readDb.get(sql`SELECT 1`);
    },
    async close() {
      await writers.idle();
      await checkpointer?.close();
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}

/** Every MySQL connection's isolation level (see openMysql). */
const SESSION_ISOLATION = 'READ COMMITTED';

function openMysql(url: string, options: OpenDatabaseOptions): Database {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`The MySQL URL '${redactUrl(url)}' names no database: add /DATABASE`);
  const pool = createPool({
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
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
  const db = drizzleMysql({
    client: pool,
    schema: mysqlTables,
    mode: 'default',
    logger: options.logQueries,
  }) as unknown as AppDb;
  const transactional = db as unknown as {
    transaction<T>(work: (tx: AppDb) => Promise<T>, config?: { isolationLevel: string }): Promise<T>;
  };
  return {
    kind: 'mysql',
    dialect: getDialect('mysql'),
    db,
    tables: mysqlTables as unknown as Tables,
    location: redactUrl(url),
    transaction(work, transactionOptions) {
      const isolationLevel = transactionOptions?.isolation ?? 'repeatable read';
      const config = isolationLevel === SESSION_ISOLATION.toLowerCase() ? undefined : { isolationLevel };
      return transactional.transaction(work, config);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
