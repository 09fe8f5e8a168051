/** The `next` parameter never leaves the site. */
import { describe, expect, test } from 'bun:test';
import { encodeNextValue, encodeStrict, loginUrlFor, sanitizeNext } from '../../../src/web/auth/safe-next.ts';

describe('sanitizeNext', () => {
  describe('keeps paths on this site', () => {
    for (const path of [
      '/',
      '/hosts/',
      '/search?q=abc',
      '/packages/libstdc++6',
      '/images/r.example.com/a:1#top',
      '/%0a',
    ]) {
      test(path, () => expect(sanitizeNext(path)).toBe(path));
    }
    test('percent-encodes non-ASCII so the path fits in a Location header', () => {
      expect(sanitizeNext('/search?q=é')).toBe('/search?q=%C3%A9');
    });
  });

  describe('turns into / ', () => {
    const attacks = [
      '',
      'hosts/',
      '//evil.example.com',
      '//evil.example.com/path',
      'https://evil.example.com/',
      'http:/evil.example.com',
      'javascript:alert(1)',
      '/\\evil.example.com',
      '\\\\evil.example.com',
      '/\\/evil.example.com',
      '/\t/evil.example.com',
      '/\n/evil.example.com',
      '/login/',
      '/logout/',
      `/${'a'.repeat(3000)}`,
    ];
    for (const attack of attacks) {
      test(JSON.stringify(attack.slice(0, 40)), () => expect(sanitizeNext(attack)).toBe('/'));
    }
    test('a missing value', () => {
      expect(sanitizeNext(undefined)).toBe('/');
      expect(sanitizeNext(null)).toBe('/');
    });
    test('a path that normalises to a scheme-relative one', () => {
      expect(sanitizeNext('/.//evil.example.com')).toBe('/');
    });
  });

  test('is idempotent', () => {
    for (const path of ['/search?q=a b', '/x/../y', '/a?b=%2F', '//evil']) {
      expect(sanitizeNext(sanitizeNext(path))).toBe(sanitizeNext(path));
    }
  });
});

describe('encoding', () => {
  test('next keeps slashes literal, as Django does (checklist item 82)', () => {
    expect(encodeNextValue('/search?q=abc')).toBe('/search%3Fq%3Dabc');
    expect(loginUrlFor('/search?q=abc')).toBe('/login/?next=/search%3Fq%3Dabc');
    expect(loginUrlFor('/')).toBe('/login/?next=/');
  });
  test('the strict form encodes every reserved character, as Python urlencode', () => {
    expect(encodeStrict("/a?b=c&d='(x)'!*")).toBe('%2Fa%3Fb%3Dc%26d%3D%27%28x%29%27%21%2A');
  });
});
