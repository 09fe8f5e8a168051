import { expect, test } from 'bun:test';
import { createArgumentToken, createPassword, createToken } from '../../src/lib/tokens.ts';

test('tokens given on a command line never start with "-", which a parser takes for an option', () => {
  const plain = Array.from({ length: 5000 }, () => createToken(32));
  const safe = Array.from({ length: 5000 }, () => createArgumentToken(32));
  const passwords = Array.from({ length: 5000 }, () => createPassword());
  // The plain token does, about once in 64: the case enrollment tokens hit.
  expect(plain.some((token) => token.startsWith('-'))).toBe(true);
  expect(safe.filter((token) => token.startsWith('-'))).toEqual([]);
  expect(passwords.filter((password) => password.startsWith('-'))).toEqual([]);
  for (const token of safe) expect(token).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}$/);
  for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{15}$/);
  expect(new Set(safe).size).toBe(safe.length);
});
