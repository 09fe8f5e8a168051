import { describe, expect, test } from 'bun:test';
import { formatCsv } from '../../src/lib/csv.ts';

describe('formatCsv', () => {
  test('writes CRLF lines with a header', () => {
    expect(formatCsv(['a', 'b'], [['x', 1]])).toBe('a,b\r\nx,1\r\n');
  });
  test('quotes commas, quotes and line breaks', () => {
    expect(formatCsv(['a'], [['x,y'], ['say "hi"'], ['l1\nl2']])).toBe(
      'a\r\n"x,y"\r\n"say ""hi"""\r\n"l1\nl2"\r\n',
    );
  });
  test('writes null as an empty field', () => {
    expect(formatCsv(['a', 'b'], [[null, 'z']])).toBe('a,b\r\n,z\r\n');
  });
  test('defuses spreadsheet formulas in text', () => {
    expect(formatCsv(['a'], [['=cmd()'], ['@x']])).toBe("a\r\n'=cmd()\r\n'@x\r\n");
  });
});
