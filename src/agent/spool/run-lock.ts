/**
 * A lock that serializes runs, so the cron full run and the apt hooks never interleave their reports
 * (docs/agent.md, "The spool and the lock"). It is a flock(2) on a file: the kernel releases it when the
 * process dies, so there are no stale locks. Bun has no flock API, hence the libc call through bun:ffi.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

const LOCK_EX = 2;
const LOCK_NB = 4;
const POLL_INTERVAL_MS = 50;

type FlockFunction = (fd: number, operation: number) => number;

/** A held lock; `release` is idempotent. */
export interface RunLock {
  release(): void;
}

/** Loads flock(2) from the C library; undefined where it cannot be loaded (e.g. a musl system). */
async function loadFlock(): Promise<FlockFunction | undefined> {
  try {
    const { dlopen, FFIType } = await import('bun:ffi');
    const libc = dlopen('libc.so.6', { flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
    return (fd, operation) => libc.symbols.flock(fd, operation);
  } catch {
    return undefined;
  }
}

/**
 * Takes the exclusive lock on `path`, waiting at most `timeoutMs`. Returns undefined on timeout.
 * Throws when the lock file cannot be created (the caller decides whether to run unlocked).
 */
export async function acquireRunLock(path: string, timeoutMs: number): Promise<RunLock | undefined> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a', 0o600);
  const flock = await loadFlock();
  if (!flock) {
    // Without flock the run proceeds unlocked: a missing lock must not stop reporting.
    return { release: () => closeSync(fd) };
  }
  const deadline = Date.now() + timeoutMs;
  while (flock(fd, LOCK_EX | LOCK_NB) !== 0) {
    if (Date.now() >= deadline) {
      closeSync(fd);
      return undefined;
    }
    await Bun.sleep(POLL_INTERVAL_MS);
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      closeSync(fd); // closing the descriptor releases the flock
    },
  };
}
