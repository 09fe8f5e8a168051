/** An open database, as the store sees it: the same shape for SQLite and MySQL. */
import type { Logger } from '../lib/logger.ts';
import { OperatorError } from '../lib/operator-error.ts';
import type { Capabilities } from './capabilities.ts';
import type { DriverErrors } from './driver-errors.ts';
import type { SqlRunner, Transaction } from './sql-runner.ts';
import type { SqlSpelling } from './sql-spelling.ts';
import type { AppDb, DialectName, Tables } from './types.ts';
import type { WalCheckpointerOptions } from './wal-checkpointer.ts';

/** An open database: reads go through `db` and `sql`; every write goes through `transaction`. */
export interface Database {
  readonly kind: DialectName;
  /** How this database spells the clauses that differ. */
  readonly spelling: SqlSpelling;
  /** What it can do, and so how the store writes to it. */
  readonly capabilities: Capabilities;
  /** Which of its driver's errors mean what. */
  readonly errors: DriverErrors;
  /** The query builder, for reads. On SQLite this connection is read-only, so a stray write fails loudly. */
  readonly db: AppDb;
  /** Raw SQL for reads, on the same connection as `db`. */
  readonly sql: SqlRunner;
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
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `work` while holding the named lock, which one process at a time holds (MySQL's GET_LOCK,
   * taken and released on one connection); throws when it is not free within `timeoutSeconds`.
   * SQLite needs none (its writes take the database's write lock) and runs `work` at once.
   */
  withNamedLock<T>(name: string, timeoutSeconds: number, work: () => Promise<T>): Promise<T>;
  /** How busy its connections are right now (the metrics' database gauges). */
  activity(): DatabaseActivity;
  /** Checks that the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A snapshot of a database's connections. */
export interface DatabaseActivity {
  /** Connections open (SQLite: the writer and the reader; MySQL: the pool's, as it opened them). */
  open: number;
  /** Connections at work: a write group on SQLite; checked out of the pool on MySQL. */
  inUse: number;
  /** The most the database may open (SQLite 2; MySQL the pool's connection limit). */
  max: number;
  /** SQLite: writers queued behind the running write group; null on MySQL. */
  waiting: number | null;
  /** MySQL: requests that ever had to wait for a pooled connection (a counter); null on SQLite. */
  queuedTotal: number | null;
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

/** Hides the password of a database URL. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** Prints a statement and its parameters, as drizzle's query logger does. */
export function logStatement(text: string, params: readonly unknown[]): void {
  console.log(`Query: ${text}${params.length > 0 ? ` -- params: ${JSON.stringify(params)}` : ''}`);
}
