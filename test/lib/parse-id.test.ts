import { describe, expect, test } from 'bun:test';
import { parseId } from '../../src/lib/parse-id.ts';

describe('parseId', () => {
  test('reads positive decimal ids up to the largest safe integer', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('42')).toBe(42);
    expect(parseId('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });
  test('refuses anything else', () => {
    for (const text of [
      undefined,
      '',
      '0',
      '-1',
      '+1',
      '1.5',
      '1.0',
      '1e3',
      '1e309',
      'abc',
      '7abc',
      'NaN',
      'Infinity',
      '0x10',
      '010',
      ' 1',
      '1 ',
      '１',
      '9007199254740992',
      '99999999999999999999',
    ]) {
      expect(parseId(text)).toBeNull();
    }
  });
});
