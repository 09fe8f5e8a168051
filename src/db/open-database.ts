/**
 * Opens the database named by a URL (`sqlite:PATH` or `mysql://user:pass@host:port/db`). The only
 * module that constructs drivers.
 */
import { Database as SqliteClient } from 'bun:sqlite';
import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { createPool } from 'mysql2/promise';
import type { Logger } from '../lib/logger.ts';
import { OperatorError } from '../lib/operator-error.ts';
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

/** The database cannot be opened or reached; the message names it and what to do. */
export class DatabaseOpenError extends OperatorError {
  override name = 'DatabaseOpenError';
}

/**
 * Opens `url` and checks that it answers; throws a DatabaseOpenError naming the problem when the URL
 * is not understood, the SQLite file cannot be opened or MySQL refuses the connection.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(sqliteFileOf(url), options);
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return openMysql(url, options);
  throw new DatabaseOpenError(
    `Unsupported database URL '${redactUrl(url)}': use sqlite:PATH (for example ${DEFAULT_DATABASE_URL}) or mysql://USER:PASSWORD@HOST:PORT/DATABASE`,
  );
}

/**
 * The file of a SQLite URL: `sqlite:PATH` (relative to the working directory, or absolute), or the
 * URL form `sqlite://PATH`, the same with `//` (so `sqlite:///var/x.sqlite` is absolute and
 * `sqlite://./x.sqlite` relative). openSqlite refuses a file directly in `/`.
 */
export function sqliteFileOf(url: string): string {
  const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
  if (file === '') {
    throw new DatabaseOpenError(
      `The database URL '${url}' names no file: write, for example, ${DEFAULT_DATABASE_URL}`,
    );
  }
  return file;
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

/** Opens the SQLite file's writer and reader connections, or says in one sentence why not. */
function openSqliteClients(
  file: string,
  busyTimeoutMs: number,
): { writer: SqliteClient; reader: SqliteClient } {
  const inMemory = file === ':memory:';
  if (!inMemory) checkSqliteFolder(file);
  let writer: SqliteClient | undefined;
  try {
    writer = new SqliteClient(file, { create: true, readwrite: true, strict: true });
    writer.exec('PRAGMA journal_mode = WAL');
    writer.exec('PRAGMA synchronous = NORMAL');
    writer.exec('PRAGMA foreign_keys = ON');
    writer.exec(`PRAGMA cache_size = -${WRITER_CACHE_KIB}`);
    writer.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    // A second, read-only connection: readers see the last committed state while a report is applied.
    const reader = inMemory ? writer : new SqliteClient(file, { readonly: true, strict: true });
    if (!inMemory) {
      reader.exec('PRAGMA foreign_keys = ON');
      reader.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    }
    return { writer, reader };
  } catch (error) {
    writer?.close();
    // SQLite's own words: "unable to open database file", "file is not a database"…
    throw new DatabaseOpenError(`Cannot open the SQLite database ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * SQLite creates the file but not its folder, and its error ("unable to open") names neither. A file
 * directly in `/` is always a slip, such as SQLAlchemy's `sqlite:///x.sqlite` (relative there).
 */
function checkSqliteFolder(file: string): void {
  const folder = dirname(resolve(file));
  const problem = (text: string) => new DatabaseOpenError(`Cannot open the SQLite database ${file}: ${text}`);
  const stats = statOrUndefined(folder);
  if (!stats) throw problem(`the folder ${folder} does not exist`);
  if (!stats.isDirectory()) throw problem(`${folder} is not a folder`);
  const fileStats = statOrUndefined(resolve(file));
  if (fileStats?.isDirectory()) throw problem('it is a folder, not a file');
  if (folder === '/') {
    throw problem(
      'refusing a file in the root directory: write sqlite:./NAME.sqlite for a file in the working ' +
        'directory, or a full path such as sqlite:/var/lib/debmonitor/debmonitor.sqlite',
    );
  }
  try {
    // The file, its -wal and its -shm are created in the folder.
    accessSync(folder, constants.W_OK);
  } catch {
    throw problem(`the folder ${folder} is not writable by this user`);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR: a file where a folder should be.
  }
}

function openSqlite(file: string, options: OpenDatabaseOptions): Database {
  const inMemory = file === ':memory:';
  const { writer, reader } = openSqliteClients(file, options.busyTimeoutMs ?? 5000);
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

async function openMysql(url: string, options: OpenDatabaseOptions): Promise<Database> {
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
