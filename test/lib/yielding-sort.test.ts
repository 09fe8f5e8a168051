import { describe, expect, test } from 'bun:test';
import { sortYielding } from '../../src/lib/yielding-sort.ts';

describe('sortYielding', () => {
  test('gives the order of Array.prototype.sort, ties included (both are stable)', async () => {
    for (const size of [0, 1, 2, 511, 512, 513, 1500, 5000]) {
      const items = Array.from({ length: size }, (_, index) => ({ key: (index * 7919) % 97, index }));
      const compare = (a: { key: number }, b: { key: number }) => a.key - b.key;
      const expected = [...items].sort(compare);
      expect(await sortYielding([...items], compare)).toEqual(expected);
    }
  });

  test('lets the event loop run while it sorts', async () => {
    const items = Array.from({ length: 200_000 }, (_, index) => String((index * 7919) % 200_003));
    let turns = 0;
    let sorting = true;
    const tick = () => {
      turns++;
      if (sorting) setImmediate(tick);
    };
    setImmediate(tick);
    await sortYielding(items, (a, b) => a.localeCompare(b), 1);
    sorting = false;
    expect(turns).toBeGreaterThan(2);
    expect(items).toEqual([...items].sort((a, b) => a.localeCompare(b)));
  });
});
