/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside whichever COMMIT
 * crosses the threshold and stalls the event loop for tens of milliseconds (the p99 of reports).
 * Instead a Worker with its own connection copies the WAL back: a PASSIVE checkpoint after commits
 * (at most one per `minIntervalMs`, one wake-up message in flight), which never blocks the writer.
 * The writer starts the WAL over by itself when it commits and finds every frame copied back; under
 * constant writes that may not happen, so once the WAL passes `restartFrames` the writer holds still
 * between two transactions (at most PAUSE_LIMIT_MS; the event loop keeps serving) while the worker
 * copies back the last frames. The writer's own automatic checkpoint stays, at a far larger WAL, as
 * a bound should the worker fall behind.
 *
 * The worker starts with the first commit that finds the WAL larger than `startAfterBytes`, so a
 * small database (tests, a quiet server) never has one. If it cannot start or fails, the writer goes
 * back to SQLite's automatic checkpoint.
 */
import type { Database as SqliteClient } from 'bun:sqlite';
import { statSync } from 'node:fs';

/** Messages to the worker. */
export type CheckpointerRequest =
  | { type: 'open'; file: string; restartFrames: number; minIntervalMs: number; niceness: number }
  | { type: 'wake' }
  | { type: 'writer-paused' }
  | { type: 'close' };

/** Messages from the worker. */
export type CheckpointerReply =
  | { type: 'ready'; niceness: number | null }
  | { type: 'checkpointed'; mode: 'passive' | 'restart'; log: number; checkpointed: number; ms: number }
  | { type: 'pause-writer' }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

export interface WalCheckpointerOptions {
  /** Start the worker once the WAL file is larger than this (bytes). */
  startAfterBytes: number;
  /** WAL frames (pages) past which the writer holds still for the worker to catch up. */
  restartFrames: number;
  /** Least time between two PASSIVE checkpoints (ms). */
  minIntervalMs: number;
  /** The automatic checkpoint the writer falls back to (pages) when there is no worker. */
  fallbackAutocheckpoint: number;
  /**
   * How much nicer than the server the worker thread runs (Linux, where threads have their own
   * niceness; 0 leaves it as is). Copying pages back can wait; on a small server it should not take
   * a core from the thread that applies reports.
   */
  workerNiceness?: number;
  /** Told when the worker is running. */
  onStart?: () => void;
  /** Told when the worker thread is created, before it is running (tests). */
  onSpawn?: () => void;
  /** Told once when the worker cannot start or fails (the writer then checkpoints by itself). */
  onFailure?: (message: string) => void;
}

export interface CheckpointStats {
  /** Whether the worker is running. */
  running: boolean;
  /** The worker thread's niceness as it read it back (null where threads have none of their own). */
  workerNiceness: number | null;
  passive: number;
  restart: number;
  /** Frames in the WAL after the last checkpoint. */
  lastLog: number;
  /** Times the WAL was found started over since the previous checkpoint. */
  resets: number;
  /** Longest time the writer held still for a checkpoint (ms). */
  longestPauseMs: number;
  /** Longest checkpoint in the worker (ms). */
  longestCheckpointMs: number;
}

export interface WalCheckpointer {
  /** After each COMMIT. */
  committed(): void;
  /** Before each write transaction: a promise while the worker needs the writer to hold still. */
  beforeWrite(): Promise<void> | undefined;
  stats(): CheckpointStats;
  /** Stops the worker (the writer's connection is closed after this). */
  close(): Promise<void>;
}

/** How long the writer holds still for a checkpoint at most (ms); it then goes on regardless. */
const PAUSE_LIMIT_MS = 100;
/** How long close() waits for the worker to close its connection (ms). */
const CLOSE_LIMIT_MS = 5_000;
/** The writer's own automatic checkpoint, while the worker runs, at this many times `restartFrames`. */
const WRITER_LIMIT_FACTOR = 2;

/** A checkpointer for `writer`, the writing connection of `file` (a WAL-mode database on disk). */
export function createWalCheckpointer(
  writer: SqliteClient,
  file: string,
  options: WalCheckpointerOptions,
): WalCheckpointer {
  const walFile = `${file}-wal`;
  let worker: Worker | undefined;
  let state: 'idle' | 'starting' | 'ready' | 'failed' | 'closed' = 'idle';
  let pauseWanted = false;
  /** A wake-up is on its way to the worker or being handled: the next commit need not send another. */
  let woken = false;
  let resume: (() => void) | undefined;
  let closed: (() => void) | undefined;
  const stats: CheckpointStats = {
    running: false,
    workerNiceness: null,
    passive: 0,
    restart: 0,
    lastLog: 0,
    resets: 0,
    longestPauseMs: 0,
    longestCheckpointMs: 0,
  };
  writer.exec(`PRAGMA wal_autocheckpoint = ${options.fallbackAutocheckpoint}`);

  function fail(message: string): void {
    if (state === 'failed' || state === 'closed') return;
    state = 'failed';
    stats.running = false;
    writer.exec(`PRAGMA wal_autocheckpoint = ${options.fallbackAutocheckpoint}`);
    pauseWanted = false;
    resume?.();
    worker?.terminate();
    worker = undefined;
    options.onFailure?.(message);
  }

  function onReply(message: CheckpointerReply): void {
    if (message.type === 'ready') {
      if (state !== 'starting') return;
      state = 'ready';
      stats.running = true;
      stats.workerNiceness = message.niceness;
      // Left to the worker, up to a far larger WAL: should it fall behind (a starved thread), the
      // writer's own checkpoint still bounds the file, and finds most frames copied back already.
      writer.exec(`PRAGMA wal_autocheckpoint = ${options.restartFrames * WRITER_LIMIT_FACTOR}`);
      woken = true;
      send({ type: 'wake' });
      options.onStart?.();
    } else if (message.type === 'checkpointed') {
      stats[message.mode]++;
      if (message.log < stats.lastLog) stats.resets++;
      stats.lastLog = message.log;
      if (message.mode === 'passive') woken = false;
      stats.longestCheckpointMs = Math.max(stats.longestCheckpointMs, message.ms);
      if (message.mode === 'restart') resume?.();
    } else if (message.type === 'pause-writer') {
      pauseWanted = true;
    } else if (message.type === 'failed') {
      fail(`WAL checkpoint failed: ${message.message}`);
    } else if (message.type === 'closed') {
      closed?.();
    }
  }

  function send(message: CheckpointerRequest): void {
    worker?.postMessage(message);
  }

  function start(): void {
    state = 'starting';
    try {
      worker = new Worker(workerUrl(), { smol: true });
    } catch (error) {
      fail(`WAL checkpoint worker did not start: ${(error as Error).message}`);
      return;
    }
    options.onSpawn?.();
    // Bun's Worker: the thread does not keep the process alive.
    (worker as unknown as { unref(): void }).unref();
    worker.onmessage = (event: MessageEvent<CheckpointerReply>) => onReply(event.data);
    worker.addEventListener('error', (event) => {
      fail(`WAL checkpoint worker failed: ${(event as ErrorEvent).message}`);
    });
    send({
      type: 'open',
      file,
      restartFrames: options.restartFrames,
      minIntervalMs: options.minIntervalMs,
      niceness: options.workerNiceness ?? 0,
    });
  }

  return {
    committed() {
      if (state === 'ready') {
        if (woken) return;
        woken = true;
        send({ type: 'wake' });
      } else if (state === 'idle' && walBytes(walFile) > options.startAfterBytes) start();
    },
    beforeWrite() {
      if (!pauseWanted || state !== 'ready') return undefined;
      pauseWanted = false;
      const paused = performance.now();
      return new Promise<void>((done) => {
        const timer = setTimeout(() => resume?.(), PAUSE_LIMIT_MS);
        resume = () => {
          clearTimeout(timer);
          stats.longestPauseMs = Math.max(stats.longestPauseMs, performance.now() - paused);
          resume = undefined;
          done();
        };
        send({ type: 'writer-paused' });
      });
    },
    stats: () => ({ ...stats }),
    async close() {
      const running = worker;
      const wasReady = state === 'ready';
      state = 'closed';
      stats.running = false;
      worker = undefined;
      resume?.();
      if (!running) return;
      if (wasReady) {
        await new Promise<void>((done) => {
          const timer = setTimeout(done, CLOSE_LIMIT_MS);
          closed = () => {
            clearTimeout(timer);
            done();
          };
          running.postMessage({ type: 'close' } satisfies CheckpointerRequest);
        });
      }
      running.terminate();
    },
  };
}

/** Size of the WAL file, 0 if there is none. */
function walBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * The worker module. In the compiled server every module shares the executable's root URL
 * (/$bunfs/root/), where the worker, an extra entrypoint, sits at its path under src/.
 */
function workerUrl(): string {
  const compiled = import.meta.url.includes('/$bunfs/');
  return new URL(compiled ? './db/wal-checkpoint-worker.ts' : './wal-checkpoint-worker.ts', import.meta.url)
    .href;
}
