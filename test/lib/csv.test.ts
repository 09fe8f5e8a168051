import { describe, expect, test } from 'bun:test';
import { formatCsv } from '../../src/lib/csv.ts';

/** The CSV text of one data cell (under a header `a`). */
const cell = (value: string | number | null) => formatCsv(['a'], [[value]]).slice('a\r\n'.length, -2);

describe('formatCsv', () => {
  test('writes CRLF lines with a header', () => {
    expect(formatCsv(['a', 'b'], [['x', 1]])).toBe('a,b\r\nx,1\r\n');
  });
  test('quotes commas, quotes and line breaks', () => {
    expect(formatCsv(['a'], [['x,y'], ['say "hi"'], ['l1\nl2']])).toBe(
      'a\r\n"x,y"\r\n"say ""hi"""\r\n"l1\nl2"\r\n',
    );
    expect(cell('l1\r\nl2')).toBe('"l1\r\nl2"');
  });
  test('quotes semicolons and tabs, the separators of other locales and of pasted text', () => {
    expect(cell('a;b')).toBe('"a;b"');
    expect(cell('a\tb')).toBe('"a\tb"');
  });
  test('writes null as an empty field', () => {
    expect(formatCsv(['a', 'b'], [[null, 'z']])).toBe('a,b\r\n,z\r\n');
  });
  test('defuses text starting with = + - @ tab or CR: a leading quote, and the cell quoted', () => {
    expect(cell('=cmd()')).toBe(`"'=cmd()"`);
    expect(cell('+1+1')).toBe(`"'+1+1"`);
    expect(cell('-1+1')).toBe(`"'-1+1"`);
    expect(cell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(cell('\t=1')).toBe(`"'\t=1"`);
    expect(cell('\rx')).toBe(`"'\rx"`);
  });
  test('defuses a formula behind leading whitespace, separators or quotes', () => {
    expect(cell(' =1+1')).toBe(`"' =1+1"`);
    expect(cell('\n=1+1')).toBe(`"'\n=1+1"`);
    expect(cell('\u00a0=1+1')).toBe(`"'\u00a0=1+1"`);
    expect(cell(';=cmd|calc')).toBe(`"';=cmd|calc"`);
    expect(cell(',=cmd')).toBe(`"',=cmd"`);
    expect(cell('"=HYPERLINK(""x"")"')).toBe(`"'""=HYPERLINK(""""x"""")"""`);
    expect(cell(`'=1+1`)).toBe(`"''=1+1"`);
    expect(cell(' ; "@x')).toBe(`"' ; ""@x"`);
  });
  test('writes numbers plainly, negative ones too (counts are numbers, never formulas)', () => {
    expect(formatCsv(['a', 'b', 'c'], [[0, 42, -1]])).toBe('a,b,c\r\n0,42,-1\r\n');
  });
  test('leaves legitimate names, versions and dates as they are', () => {
    for (const value of [
      'host1.example.org',
      'linux-image-6.1.0-18-amd64',
      'g++-12',
      'libc++1',
      '1:2.36-9+deb12u4',
      '2.0~rc1-1',
      'Debian 12',
      'security',
      '2024-05-01T10:00:00.000Z',
      'docker-registry.example.org/wikimedia/app:2024-05-01-123456',
      "it's",
      'a=b',
      'x @y',
      '',
    ]) {
      expect(cell(value)).toBe(value);
    }
    expect(cell('Debian 11, Debian 12')).toBe('"Debian 11, Debian 12"');
  });
});
