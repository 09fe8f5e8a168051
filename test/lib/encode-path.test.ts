import { describe, expect, test } from 'bun:test';
import { encodePath, encodePathSegment } from '../../src/lib/encode-path.ts';

describe('encodePath', () => {
  test('keeps / : @ ~ and the sub-delimiters literal', () => {
    expect(encodePath("a/b:c@d~e!$&'()*+,;=")).toBe("a/b:c@d~e!$&'()*+,;=");
  });
  test('keeps + literal (libstdc++6)', () => {
    expect(encodePath('libstdc++6')).toBe('libstdc++6');
  });
  test('encodes spaces, ?, #, % and non-ASCII', () => {
    expect(encodePath('a b?c#d%e')).toBe('a%20b%3Fc%23d%25e');
    expect(encodePath('é')).toBe('%C3%A9');
  });
  test('encodes angle brackets and quotes', () => {
    expect(encodePath('<x>"')).toBe('%3Cx%3E%22');
  });
});

describe('encodePathSegment', () => {
  test('encodes / too', () => {
    expect(encodePathSegment('a/b:c')).toBe('a%2Fb:c');
  });
});
