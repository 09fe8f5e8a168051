/** Password and user-name rules (Django's validators, spec §4.4). */
import { describe, expect, test } from 'bun:test';
import { checkPassword } from '../../src/domain/password-policy.ts';
import { checkUsername } from '../../src/domain/username-policy.ts';

describe('checkPassword', () => {
  describe('accepts', () => {
    for (const password of ['correct horse battery', 'Tr0ub4dor&3', 'abcdefg1']) {
      test(password, () => expect(checkPassword(password, 'alice')).toEqual([]));
    }
  });
  describe('refuses', () => {
    const cases: [string, string][] = [
      ['short1', 'at least 8 characters'],
      ['12345678901', 'entirely numeric'],
      ['alice2024!', 'too similar to the username'],
      ['ALICE-ALICE', 'too similar to the username'],
      ['password', 'too common'],
      ['Qwerty123', 'too common'],
      ['x'.repeat(4097), 'at most 4096 characters'],
    ];
    for (const [password, reason] of cases) {
      test(`${password.slice(0, 20)}: ${reason}`, () =>
        expect(checkPassword(password, 'alice').join(' ')).toContain(reason));
    }
  });
  test('reports every problem at once', () => {
    expect(checkPassword('1234', 'alice')).toHaveLength(2);
  });
});

describe('checkUsername', () => {
  for (const name of ['alice', 'a.b+c-d_e@example.org', 'Zoë', 'x'.repeat(150)]) {
    test(`accepts ${name.slice(0, 20)}`, () => expect(checkUsername(name)).toBeNull());
  }
  for (const name of ['', 'a b', 'a/b', '<script>', 'x'.repeat(151), 'tab\there']) {
    test(`refuses ${JSON.stringify(name.slice(0, 20))}`, () => expect(checkUsername(name)).toBeString());
  }
});
