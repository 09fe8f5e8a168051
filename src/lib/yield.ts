/**
 * Cooperative multitasking for long jobs on the event loop: between two awaits that resolve at once
 * (a bun:sqlite query is synchronous), no socket is read, so other requests wait however many
 * microtasks pass. A macrotask turn lets them in.
 */

/** Resolves on the next turn of the event loop, after pending I/O. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock for time slices: `due()` is true once `sliceMs` have passed since the last yield. */
export function createTimeSlice(sliceMs: number) {
  let since = performance.now();
  return {
    due(): boolean {
      return performance.now() - since >= sliceMs;
    },
    /** Yields if the slice is used up. */
    async pause(): Promise<void> {
      if (performance.now() - since < sliceMs) return;
      await yieldToEventLoop();
      since = performance.now();
    },
  };
}

/** When the event loop last turned, as far as pauseIfBusy knows, and whether it is watching. */
let busySince = 0;
let watching = false;

function loopTurned(): void {
  busySince = performance.now();
  watching = false;
}

/**
 * Yields if the event loop has not turned for `sliceMs`, for long runs of synchronous work split
 * into steps (bun:sqlite statements). The first call of a run arms an immediate that notes when
 * the loop turns on its own (I/O), so steps that already wait for something never pause.
 */
export async function pauseIfBusy(sliceMs = 20): Promise<void> {
  if (!watching) {
    watching = true;
    busySince = performance.now();
    setImmediate(loopTurned);
    return;
  }
  if (performance.now() - busySince < sliceMs) return;
  await yieldToEventLoop();
}
