import { expect, test } from 'bun:test';
import { parseDuration } from '../../src/lib/parse-duration.ts';

test('durations in minutes, hours, days and weeks', () => {
  expect(parseDuration('30m')).toBe(30 * 60_000);
  expect(parseDuration('24h')).toBe(24 * 3_600_000);
  expect(parseDuration('7d')).toBe(7 * 86_400_000);
  expect(parseDuration('2w')).toBe(14 * 86_400_000);
});

test('anything else is null', () => {
  for (const text of ['', '0h', '1', 'h', '1.5h', '-1d', '1y', '1 d', '10000000m'])
    expect(parseDuration(text)).toBeNull();
});
