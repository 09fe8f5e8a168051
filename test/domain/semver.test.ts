import { describe, expect, test } from 'bun:test';
import { compareSemver, isSemver, parseSemver } from '../../src/domain/semver.ts';

describe('parseSemver', () => {
  test('reads the core, pre-release and build parts', () => {
    expect(parseSemver('1.22.333-rc.1+exp.sha.5114f85')).toEqual({
      major: 1,
      minor: 22,
      patch: 333,
      prerelease: ['rc', 1],
      build: 'exp.sha.5114f85',
    });
  });
  test('accepts a leading v and surrounding blanks', () => {
    expect(parseSemver(' v2.0.0\n')?.major).toBe(2);
  });
  describe('rejects what is not a version', () => {
    for (const text of [
      '',
      '1',
      '1.2',
      '1.2.3.4',
      '01.2.3',
      '1.2.3-',
      '1.2.3-01',
      '1.2.3+',
      'a.b.c',
      '0.3client3',
    ]) {
      test(`'${text}'`, () => expect(parseSemver(text)).toBeNull());
    }
  });
  test('isSemver agrees with parseSemver', () => {
    expect(isSemver('0.0.0-dev')).toBe(true);
    expect(isSemver('0.3client3')).toBe(false);
  });
});

describe('compareSemver', () => {
  const ascending = (lower: string, higher: string) => {
    expect(compareSemver(lower, higher)).toBeLessThan(0);
    expect(compareSemver(higher, lower)).toBeGreaterThan(0);
  };
  describe('orders the core numerically', () => {
    test('1.0.0 < 1.0.1', () => ascending('1.0.0', '1.0.1'));
    test('1.0.9 < 1.0.10', () => ascending('1.0.9', '1.0.10'));
    test('1.9.0 < 1.10.0', () => ascending('1.9.0', '1.10.0'));
    test('1.99.99 < 2.0.0', () => ascending('1.99.99', '2.0.0'));
  });
  describe('orders pre-releases below their release', () => {
    test('1.0.0-rc.1 < 1.0.0', () => ascending('1.0.0-rc.1', '1.0.0'));
    test('0.0.0-dev < 0.0.1', () => ascending('0.0.0-dev', '0.0.1'));
  });
  describe('orders pre-release identifiers as the specification lists', () => {
    const chain = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 0; i + 1 < chain.length; i++) {
      test(`${chain[i]} < ${chain[i + 1]}`, () => ascending(chain[i]!, chain[i + 1]!));
    }
  });
  describe('treats as equal', () => {
    test('identical versions', () => expect(compareSemver('1.2.3', '1.2.3')).toBe(0));
    test('versions differing only in build metadata', () =>
      expect(compareSemver('1.2.3+a', '1.2.3+b')).toBe(0));
    test('a leading v', () => expect(compareSemver('v1.2.3', '1.2.3')).toBe(0));
  });
  test('throws on a string that is not a version', () => {
    expect(() => compareSemver('1.0', '1.0.0')).toThrow("Not a semantic version: '1.0'");
  });
});
