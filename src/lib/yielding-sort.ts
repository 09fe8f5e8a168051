/**
 * A stable sort that yields to the event loop every few milliseconds, for lists of up to some
 * hundred thousand items that a request sorts in memory (Array.prototype.sort of 300,000 rows with
 * a Debian version comparator holds the event loop for about a second).
 */
import { createTimeSlice } from './yield.ts';

/** Items per run sorted in one go before the merges. */
const RUN = 512;
/** Steps between two looks at the clock. */
const CHECK_EVERY = 1024;

/**
 * Sorts `items` in place and returns it: the same order as `items.sort(compare)` (both are
 * stable), in slices of about `sliceMs` with a turn of the event loop between them.
 */
export async function sortYielding<T>(
  items: T[],
  compare: (a: T, b: T) => number,
  sliceMs = 10,
): Promise<T[]> {
  const slice = createTimeSlice(sliceMs);
  const n = items.length;
  for (let start = 0; start < n; start += RUN) {
    const run = items.slice(start, start + RUN).sort(compare);
    for (let i = 0; i < run.length; i++) items[start + i] = run[i] as T;
    await slice.pause();
  }
  let source = items;
  let target: T[] = new Array(n);
  for (let width = RUN; width < n; width *= 2) {
    let steps = 0;
    for (let left = 0; left < n; left += 2 * width) {
      const middle = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = middle;
      let k = left;
      while (i < middle && j < right) {
        // Ties keep the left run's item first: stable.
        target[k++] = compare(source[j] as T, source[i] as T) < 0 ? (source[j++] as T) : (source[i++] as T);
        if (++steps % CHECK_EVERY === 0 && slice.due()) await slice.pause();
      }
      while (i < middle) target[k++] = source[i++] as T;
      while (j < right) target[k++] = source[j++] as T;
    }
    [source, target] = [target, source];
    await slice.pause();
  }
  if (source !== items) for (let i = 0; i < n; i++) items[i] = source[i] as T;
  return items;
}
