/**
 * Rules a new password must follow: long enough, not only digits, not the user name (or close to
 * it), and hard to guess by zxcvbn's estimate, which knows 49,000 common passwords, keyboard
 * patterns, repeats, sequences, dates and l33t spellings.
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { PASSWORD_FEEDBACK } from './password-feedback.ts';

export const MIN_PASSWORD_LENGTH = 8;
/** Longer passwords are refused at sign-in before hashing, so they cannot be set either. */
export const MAX_PASSWORD_LENGTH = 4096;
/**
 * zxcvbn's score 3 means about 10^8 guesses or more. Sign-in allows 5 guesses per account per 15
 * minutes, so the risk is a stolen copy of the database: 10^8 argon2id hashes (64 MiB, tens of ms
 * each) take a CPU core months per account, where score 2 (10^6) falls within a day.
 */
export const MIN_PASSWORD_SCORE = 3;
/** Words a password must not be built on, besides the user name. */
const SITE_WORDS = ['debmonitor', 'debmonitor-server'];

let estimator: Promise<ZxcvbnFactory> | undefined;

/**
 * zxcvbn and its dictionaries (about 400 kB of code, some 50 ms to load and index), loaded at the
 * first check so that starting the server or any command that sets no password does not pay.
 */
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({
        dictionary: common.dictionary,
        graphs: common.adjacencyGraphs,
        translations: PASSWORD_FEEDBACK,
        // A check runs on the event loop: a few ms, but 200 ms at zxcvbn's default of 256 random
        // characters; a longer password is judged on its first 100. (Its Levenshtein option, for
        // near misses of common passwords, costs 50-500 ms a check and is left off.)
        maxLength: 100,
      }),
  );
  return estimator;
}

/** The rules but the guessing estimate: length, not only digits, not the user name. */
export function checkPasswordShape(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) {
    problems.push(`The password must contain at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    problems.push(`The password must contain at most ${MAX_PASSWORD_LENGTH} characters.`);
    return problems;
  }
  if (/^\d+$/.test(password)) problems.push('The password must not be entirely numeric.');
  const lowered = password.toLowerCase();
  const name = username.toLowerCase();
  if (name.length > 0 && (lowered.includes(name) || (lowered.length >= 3 && name.includes(lowered)))) {
    problems.push('The password is too similar to the username.');
  }
  return problems;
}

/** Lists what is wrong with `password` for the account `username`; empty when it is acceptable. */
export async function checkPassword(password: string, username: string): Promise<string[]> {
  const problems = checkPasswordShape(password, username);
  if (password.length > MAX_PASSWORD_LENGTH) return problems;
  const estimate = (await loadEstimator()).check(password, [username, ...SITE_WORDS]);
  if (estimate.score < MIN_PASSWORD_SCORE) {
    const { warning, suggestions } = estimate.feedback;
    problems.push(['The password is too easy to guess.', warning, ...suggestions].filter(Boolean).join(' '));
  }
  return problems;
}
