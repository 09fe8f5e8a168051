import { describe, expect, test } from 'bun:test';
import { describeTimeSince } from '../../src/lib/time-since.ts';

const now = new Date('2024-03-10T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('describeTimeSince', () => {
  test('under a minute is 0 minutes', () => {
    expect(describeTimeSince(ago(30), now)).toBe('0 minutes');
  });
  test('the future is 0 minutes', () => {
    expect(describeTimeSince(ago(-600), now)).toBe('0 minutes');
  });
  test('singular and plural units', () => {
    expect(describeTimeSince(ago(60), now)).toBe('1 minute');
    expect(describeTimeSince(ago(5 * 60), now)).toBe('5 minutes');
  });
  test('two adjacent units at most', () => {
    expect(describeTimeSince(ago(3 * 86400 + 4 * 3600 + 5 * 60), now)).toBe('3 days, 4 hours');
    expect(describeTimeSince(ago(2 * 3600 + 5 * 60), now)).toBe('2 hours, 5 minutes');
  });
  test('a zero second unit is left out', () => {
    expect(describeTimeSince(ago(2 * 86400 + 30 * 60), now)).toBe('2 days');
  });
  test('years count 365 days, leap days removed', () => {
    expect(describeTimeSince(new Date('2018-06-26T16:46:33Z'), new Date('2024-06-26T16:46:33Z'))).toBe(
      '6 years',
    );
  });
  test('weeks and months', () => {
    expect(describeTimeSince(ago(15 * 86400), now)).toBe('2 weeks, 1 day');
    expect(describeTimeSince(ago(45 * 86400), now)).toBe('1 month, 2 weeks');
  });
});
