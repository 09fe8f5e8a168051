/**
 * Rules a new password must follow, after Django's default validators (spec/server.md §4.4):
 * long enough, not only digits, not the user name (or close to it), not a well-known password.
 */

export const MIN_PASSWORD_LENGTH = 8;
/** Longer passwords are refused at sign-in before hashing, so they cannot be set either. */
export const MAX_PASSWORD_LENGTH = 4096;

/** A few of the most used passwords; Django's list is longer, these are the ones people try first. */
const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwertyuiop',
  'qwerty123',
  'iloveyou',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'welcome1',
  'letmein1',
  'trustno1',
  'abcdefgh',
  'abc12345',
  'changeme',
  'administrator',
  'debmonitor',
]);

/** Lists what is wrong with `password` for the account `username`; empty when it is acceptable. */
export function checkPassword(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) {
    problems.push(`The password must contain at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    problems.push(`The password must contain at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  if (/^\d+$/.test(password)) problems.push('The password must not be entirely numeric.');
  const lowered = password.toLowerCase();
  const name = username.toLowerCase();
  if (name.length > 0 && (lowered.includes(name) || (lowered.length >= 3 && name.includes(lowered)))) {
    problems.push('The password is too similar to the username.');
  }
  if (COMMON_PASSWORDS.has(lowered)) problems.push('The password is too common.');
  return problems;
}
