/**
 * The WAL checkpointer's thread (see wal-checkpointer.ts): its own connection to the SQLite file,
 * PASSIVE checkpoints when the writer says the WAL grew (never waiting for anyone), and one more
 * while the writer holds still when the WAL no longer starts over by itself. A separate entrypoint
 * of the compiled server (scripts/build.ts).
 */
import { Database } from 'bun:sqlite';
import { getPriority, setPriority } from 'node:os';
import type { CheckpointerReply, CheckpointerRequest } from './wal-checkpointer.ts';

declare const self: Worker;

let db: Database | undefined;
let restartFrames = 0;
let minIntervalMs = 0;
let lastRun = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let restartAsked = false;

function reply(message: CheckpointerReply): void {
  self.postMessage(message);
}

/** Runs a checkpoint; returns [frames in the WAL, frames copied back] (-1, -1 when it was busy). */
function checkpoint(mode: 'PASSIVE'): { log: number; checkpointed: number; ms: number } {
  const started = performance.now();
  const row = db?.query(`PRAGMA wal_checkpoint(${mode})`).values()[0] ?? [1, -1, -1];
  return { log: Number(row[1]), checkpointed: Number(row[2]), ms: performance.now() - started };
}

function runPassive(): void {
  timer = undefined;
  lastRun = performance.now();
  try {
    const { log, checkpointed, ms } = checkpoint('PASSIVE');
    reply({ type: 'checkpointed', mode: 'passive', log, checkpointed, ms });
    // The writer restarts the WAL from its start when it finds it all copied back; under constant
    // writes it may never find that, so past this size the writer holds still for one checkpoint.
    if (log >= restartFrames && !restartAsked) {
      restartAsked = true;
      reply({ type: 'pause-writer' });
    }
  } catch (error) {
    reply({ type: 'failed', message: (error as Error).message });
  }
}

/**
 * Makes this thread nicer by `niceness` and returns its niceness. Only Linux gives each thread its
 * own (PID 0 is the calling thread there); elsewhere it would apply to the whole server, so nothing
 * changes and the answer is null.
 */
function lowerPriority(niceness: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    if (niceness > 0) setPriority(0, Math.min(19, getPriority(0) + niceness));
  } catch {
    // Not allowed here (a sandbox): checkpoints still run, at the server's own priority.
  }
  return getPriority(0);
}

function schedule(): void {
  if (timer || !db) return;
  timer = setTimeout(runPassive, Math.max(0, lastRun + minIntervalMs - performance.now()));
}

self.onmessage = (event: MessageEvent<CheckpointerRequest>) => {
  const message = event.data;
  try {
    if (message.type === 'open') {
      db = new Database(message.file, { readwrite: true, create: false });
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA wal_autocheckpoint = 0');
      restartFrames = message.restartFrames;
      minIntervalMs = message.minIntervalMs;
      reply({ type: 'ready', niceness: lowerPriority(message.niceness) });
    } else if (message.type === 'wake') {
      schedule();
    } else if (message.type === 'writer-paused') {
      // With the writer still, a PASSIVE checkpoint copies back the last frames and the writer's
      // next commit starts the WAL over (RESTART would also wait for readers, sleeping to do so;
      // the mode is still reported as 'restart': the checkpoint that lets the WAL start over).
      const { log, checkpointed, ms } = checkpoint('PASSIVE');
      restartAsked = false;
      reply({ type: 'checkpointed', mode: 'restart', log, checkpointed, ms });
    } else if (message.type === 'close') {
      if (timer) clearTimeout(timer);
      db?.close();
      db = undefined;
      reply({ type: 'closed' });
    }
  } catch (error) {
    restartAsked = false;
    reply({ type: 'failed', message: (error as Error).message });
  }
};
