import { describe, expect, test } from 'bun:test';
import { explainHostPatternProblem, isHostName, matchesHostPattern } from '../../src/domain/host-pattern.ts';

describe('matchesHostPattern', () => {
  test.each([
    ['*', 'anything.example.org', true],
    ['*.example.org', 'web1.example.org', true],
    ['*.example.org', 'a.b.example.org', true],
    ['*.example.org', 'WEB1.Example.ORG', true],
    ['*.example.org', 'example.org', false],
    ['*.example.org', 'web1.example.org.evil.net', false],
    ['*.example.org', 'web1-example.org', false],
    ['web?.example.org', 'web1.example.org', true],
    ['web?.example.org', 'web10.example.org', false],
    ['db1.example.org', 'db1.example.org', true],
    ['db1.example.org', 'db1xexample.org', false],
  ])('%s against %s: %p', (pattern, name, expected) => {
    expect(matchesHostPattern(pattern, name)).toBe(expected);
  });
});

describe('isHostName', () => {
  test('takes DNS names', () => {
    for (const name of ['h1', 'h1.example.org', 'a-b.c-d.example', `${'a'.repeat(63)}.org`]) {
      expect(isHostName(name)).toBe(true);
    }
  });
  test('refuses what would change a subject DN, and malformed labels', () => {
    for (const name of [
      '',
      'a,O=x',
      'a=b',
      'a b',
      '-a.org',
      'a-.org',
      'a..org',
      '.a',
      `${'a'.repeat(64)}.org`,
      'ä.org',
    ]) {
      expect(isHostName(name)).toBe(false);
    }
  });
});

describe('explainHostPatternProblem', () => {
  test('accepts host-name characters with * and ?', () => {
    expect(explainHostPatternProblem('*.example.org')).toBeNull();
    expect(explainHostPatternProblem('web-??.example.org')).toBeNull();
  });
  test('refuses others', () => {
    expect(explainHostPatternProblem('')).toBe('must be 1 to 253 characters');
    expect(explainHostPatternProblem('[ab].org')).toBe(
      'may hold letters, digits, ".", "-", "*" and "?" only',
    );
  });
});
