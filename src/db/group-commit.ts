/**
 * SQLite write transactions with group commit. Writers queue (one SQLite connection writes at a
 * time); when several are waiting, they run one after another inside one BEGIN IMMEDIATE … COMMIT,
 * each in its own SAVEPOINT: a writer that fails is rolled back to its savepoint (it changes
 * nothing) and the others still commit. Every writer's promise settles only after the COMMIT that
 * makes its changes durable, so a caller never sees a result the database could still lose.
 *
 * A cold report dirties thousands of index pages, most of them the same pages as the next report's;
 * committing a group writes each of those pages to the WAL once instead of once per report.
 */
import type { Database as SqliteClient } from 'bun:sqlite';
import type { Transaction } from './sql-runner.ts';

export interface GroupCommitOptions {
  /** Most writers in one transaction. */
  maxWriters: number;
  /** No writer joins a group that has been running this long (ms), so the first one's wait stays short. */
  maxGroupMs: number;
  /** Awaited before each group starts (a WAL checkpoint that needs the writer idle). */
  beforeGroup?: () => Promise<void> | undefined;
  /** Called after each successful COMMIT. */
  afterCommit?: (writers: number) => void;
}

export interface GroupCommitter {
  /** Runs `work` in a transaction, possibly shared with other writers; settles after COMMIT. */
  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Resolves once every queued writer has settled. */
  idle(): Promise<void>;
  /** Writers queued and whether a group is running. */
  state(): { queued: number; running: boolean };
}

interface Writer {
  work: (tx: Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const SAVEPOINT = 'debmonitor_writer';

/** Group commit on `client` (the writing connection), with `tx` the handle each writer's work gets. */
export function createGroupCommitter(
  client: SqliteClient,
  tx: Transaction,
  options: GroupCommitOptions,
): GroupCommitter {
  const queue: Writer[] = [];
  let draining = false;
  let idleWaiters: (() => void)[] = [];

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        try {
          await options.beforeGroup?.();
        } catch {
          // A failed checkpoint must not stop the writers.
        }
        await runGroup();
      }
    } finally {
      draining = false;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  async function runGroup(): Promise<void> {
    const first = queue.shift();
    if (!first) return;
    try {
      client.exec('BEGIN IMMEDIATE');
    } catch (error) {
      // Another process holds the write lock past the busy timeout: this writer fails (retryable).
      first.reject(error);
      return;
    }
    const started = performance.now();
    const done: { writer: Writer; value: unknown }[] = [];
    let writers = 0;
    for (let writer: Writer | undefined = first; writer; ) {
      writers++;
      try {
        client.exec(`SAVEPOINT ${SAVEPOINT}`);
        const value = await writer.work(tx);
        client.exec(`RELEASE ${SAVEPOINT}`);
        done.push({ writer, value });
      } catch (error) {
        writer.reject(error);
        if (!undoWriter()) {
          // SQLite ended the whole transaction (disk full, I/O error): the group's work is lost.
          for (const entry of done) entry.writer.reject(error);
          return;
        }
      }
      const open = writers < options.maxWriters && performance.now() - started < options.maxGroupMs;
      writer = open ? queue.shift() : undefined;
    }
    try {
      client.exec('COMMIT');
    } catch (error) {
      if (client.inTransaction) client.exec('ROLLBACK');
      for (const entry of done) entry.writer.reject(error);
      return;
    }
    for (const entry of done) entry.writer.resolve(entry.value);
    try {
      options.afterCommit?.(writers);
    } catch {
      // Bookkeeping only.
    }
  }

  /** Rolls the failed writer back to its savepoint; false if the transaction is gone. */
  function undoWriter(): boolean {
    if (!client.inTransaction) return false;
    try {
      client.exec(`ROLLBACK TO ${SAVEPOINT}`);
      client.exec(`RELEASE ${SAVEPOINT}`);
      return true;
    } catch {
      if (client.inTransaction) client.exec('ROLLBACK');
      return false;
    }
  }

  return {
    run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (draining) return;
        draining = true;
        // One turn of the event loop first: requests already read join this group.
        setImmediate(() => void drain());
      });
    },
    state() {
      return { queued: queue.length, running: draining };
    },
    idle() {
      if (!draining) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
