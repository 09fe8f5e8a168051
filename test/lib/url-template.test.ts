import { describe, expect, test } from 'bun:test';
import { fillUrlTemplate } from '../../src/lib/url-template.ts';

describe('fillUrlTemplate', () => {
  test('replaces known placeholders, every time they appear', () => {
    expect(fillUrlTemplate('https://x/{a}/{a}?b={b}', { a: '1', b: '2' })).toBe('https://x/1/1?b=2');
  });
  test('leaves unknown placeholders unchanged', () => {
    expect(fillUrlTemplate('https://x/{fqdn}/{other}', { fqdn: 'h' })).toBe('https://x/h/{other}');
  });
  test('does not read inherited properties', () => {
    expect(fillUrlTemplate('{constructor}', {})).toBe('{constructor}');
  });
});
