/**
 * The SQLite database: a writer connection (group commit, WAL checkpoints in a worker) and a
 * read-only reader, each with its raw-SQL runner.
 */
import { Database as SqliteClient, type Statement } from 'bun:sqlite';
import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { type BunSQLiteDatabase, drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { pauseIfBusy } from '../lib/yield.ts';
import { sqliteCapabilities } from './capabilities.ts';
import { type Database, DatabaseOpenError, logStatement, type OpenDatabaseOptions } from './database.ts';
import { sqliteErrors } from './driver-errors.ts';
import { createGroupCommitter } from './group-commit.ts';
import * as sqliteTables from './schema/sqlite.ts';
import { type Row, type SqlRunner, setByProperty, type Transaction } from './sql-runner.ts';
import { sqliteSpelling } from './sql-spelling.ts';
import { createWalCheckpointer } from './wal-checkpointer.ts';

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

export function openSqlite(file: string, options: OpenDatabaseOptions): Database {
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
  const logQuery = options.logQueries ? logStatement : undefined;
  const writeDb: BunSQLiteDatabase<typeof sqliteTables> = drizzleSqlite(writer, config);
  const readDb: BunSQLiteDatabase<typeof sqliteTables> = drizzleSqlite(reader, config);
  const writeTx = createSqliteTransaction(writeDb, createSqliteRunner(writer, logQuery));
  const writers = createGroupCommitter(writer, writeTx, {
    maxWriters: GROUP_MAX_WRITERS,
    maxGroupMs: GROUP_MAX_MS,
    beforeGroup: () => checkpointer?.beforeWrite(),
    afterCommit: () => checkpointer?.committed(),
  });

  return {
    kind: 'sqlite',
    spelling: sqliteSpelling,
    capabilities: sqliteCapabilities,
    errors: sqliteErrors,
    db: readDb,
    sql: createSqliteRunner(reader, logQuery),
    tables: sqliteTables,
    location: `sqlite:${file}`,
    transaction(work) {
      return writers.run(work);
    },
    withNamedLock(_name, _timeoutSeconds, work) {
      return work();
    },
    activity() {
      const { queued, running } = writers.state();
      const connections = reader === writer ? 1 : 2;
      return {
        open: connections,
        inUse: running ? 1 : 0,
        max: connections,
        waiting: queued,
        queuedTotal: null,
      };
    },
    async ping() {
      reader.query('SELECT 1').get();
    },
    async close() {
      await writers.idle();
      await checkpointer?.close();
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}

type SqliteParam = string | number | bigint | boolean | null | Uint8Array;

/** Prepared statements kept per connection, by SQL text; bounded, as texts vary with batch sizes. */
const MAX_CACHED_STATEMENTS = 500;

/** Raw SQL on one SQLite connection, through prepared statements reused by text. */
function createSqliteRunner(client: SqliteClient, logQuery?: typeof logStatement): SqlRunner {
  const statements = new Map<string, Statement>();
  const spelled = new SQLiteSyncDialect();
  const prepare = (text: string, params: readonly unknown[]): Statement => {
    logQuery?.(text, params);
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = client.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  // Each statement blocks the event loop; a report of tens of thousands of packages runs hundreds
  // of them in a row, so they let other requests in every 20 ms (even inside a transaction: the
  // group committer awaits the writer's work, and readers use their own connection, except on a
  // `:memory:` database).
  const runner: SqlRunner = {
    async select<T extends Row>(text: string, params: readonly unknown[] = []) {
      await pauseIfBusy();
      return prepare(text, params).all(...(params as SqliteParam[])) as T[];
    },
    async selectValues(text, params = []) {
      await pauseIfBusy();
      return prepare(text, params).values(...(params as SqliteParam[])) as unknown[][];
    },
    async run(text, params = []) {
      await pauseIfBusy();
      return prepare(text, params).run(...(params as SqliteParam[])).changes;
    },
    async insertReturningId(text, params) {
      const row = prepare(`${text} RETURNING id`, params).get(...(params as SqliteParam[])) as { id: number };
      return Number(row.id);
    },
    selectSql<T extends Row>(query: SQL) {
      const { sql: text, params } = spelled.sqlToQuery(query);
      return runner.select<T>(text, params);
    },
    runSql(query) {
      const { sql: text, params } = spelled.sqlToQuery(query);
      return runner.run(text, params);
    },
  };
  return runner;
}

/** The transaction handle of the writer connection (the group committer wraps each work in a savepoint). */
function createSqliteTransaction(db: BunSQLiteDatabase<typeof sqliteTables>, runner: SqlRunner): Transaction {
  return {
    db,
    sql: runner,
    async insertIgnore(table, rows) {
      if (rows.length > 0)
        await db
          .insert(table)
          .values(rows as never)
          .onConflictDoNothing();
    },
    async upsert(table, rows, target, update) {
      if (rows.length === 0) return;
      const set: Row = {};
      for (const column of update) set[column.name] = sql.raw(`excluded."${column.name}"`);
      await db
        .insert(table)
        .values(rows as never)
        .onConflictDoUpdate({ target: target as never, set: setByProperty(table, set) });
    },
  };
}
