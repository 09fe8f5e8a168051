import { describe, expect, test } from 'bun:test';
import { escapeFilterValue, normalizeDn } from '../../src/lib/ldap-text.ts';

describe('escapeFilterValue (RFC 4515)', () => {
  const cases: [string, string][] = [
    ['ann', 'ann'],
    ['*', '\\2a'],
    [')(uid=*', '\\29\\28uid=\\2a'],
    ['a\\b', 'a\\5cb'],
    ['ann\0', 'ann\\00'],
    ['José', 'José'],
    ['', ''],
  ];
  for (const [input, escaped] of cases) {
    test(`${JSON.stringify(input)} becomes ${JSON.stringify(escaped)}`, () => {
      expect(escapeFilterValue(input)).toBe(escaped);
    });
  }

  test('leaves no character that could open, close or widen a filter', () => {
    const every = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
    expect(escapeFilterValue(every)).not.toMatch(/[*()\0]/);
  });
});

describe('normalizeDn', () => {
  test('lowercases and drops the spaces around separators', () => {
    expect(normalizeDn(' CN=Admin , OU=Groups,dc=Example,  dc=com ')).toBe(
      'cn=admin,ou=groups,dc=example,dc=com',
    );
    expect(normalizeDn('cn = a + uid = b,dc=x')).toBe('cn=a+uid=b,dc=x');
  });

  test('keeps spaces inside values', () => {
    expect(normalizeDn('cn=Ann  Admin,dc=x')).toBe('cn=ann  admin,dc=x');
  });

  test('keeps escaped separators and escaped spaces as they are', () => {
    expect(normalizeDn('cn=Doe\\, John,dc=x')).toBe('cn=doe\\, john,dc=x');
    expect(normalizeDn('cn=a\\ ,dc=x')).toBe('cn=a\\ ,dc=x');
    expect(normalizeDn('cn=a\\,dc=x')).not.toBe(normalizeDn('cn=a,dc=x'));
  });
});
