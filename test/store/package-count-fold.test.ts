/** The fold deletes the ids it read as ranges of consecutive ids, never wider. */
import { describe, expect, test } from 'bun:test';
import { idRanges } from '../../src/store/counts/package-count-fold.ts';

describe('idRanges', () => {
  test('joins consecutive ids and keeps gaps out', () => {
    expect(idRanges([1, 2, 3, 5, 7, 8])).toEqual([
      [
        [1, 3],
        [5, 5],
        [7, 8],
      ],
    ]);
  });

  test('a single id is a range of one', () => {
    expect(idRanges([42])).toEqual([[[42, 42]]]);
  });

  test('no ids, no ranges', () => {
    expect(idRanges([])).toEqual([]);
  });

  test('batches 256 ranges per statement', () => {
    const ids = Array.from({ length: 600 }, (_, i) => i * 2);
    const batches = idRanges(ids);
    expect(batches.map((batch) => batch.length)).toEqual([256, 256, 88]);
    expect(batches.flat().every(([first, last]) => first === last)).toBe(true);
  });
});
