/** Kubernetes container counts (spec §3.4.6 item 8). */
import { describe, expect, test } from 'bun:test';
import { parseContainerCount } from '../../src/domain/container-count.ts';

describe('parseContainerCount', () => {
  test('accepts non-negative integers and strings of digits', () => {
    expect(parseContainerCount(3)).toEqual({ count: 3 });
    expect(parseContainerCount('3')).toEqual({ count: 3 });
    expect(parseContainerCount(0)).toEqual({ count: 0 });
  });
  test("gives upstream's message for a non-numeric value", () => {
    expect(parseContainerCount('invalid')).toEqual({
      error: "Field 'containers' expected a number but got 'invalid'.",
    });
    expect(parseContainerCount(null)).toEqual({
      error: "Field 'containers' expected a number but got 'null'.",
    });
  });
  test('refuses negative and fractional numbers', () => {
    expect(parseContainerCount(-1)).toEqual({
      error: "Field 'containers' expected a non-negative integer but got '-1'.",
    });
    expect(parseContainerCount(2.7)).toEqual({
      error: "Field 'containers' expected a non-negative integer but got '2.7'.",
    });
    expect(parseContainerCount('-2')).toEqual({
      error: "Field 'containers' expected a non-negative integer but got '-2'.",
    });
  });
});
