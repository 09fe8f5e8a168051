/**
 * Creating an account and setting its password, with one set of rules for every way in: the `user`
 * command, the users page and the first-start admin (CAS accounts have no password and take the
 * CAS server's name as it is, so they are created directly).
 */
import type { Database } from '../../db/open-database.ts';
import { checkPassword, checkPasswordShape } from '../../domain/password-policy.ts';
import { checkUsername } from '../../domain/username-policy.ts';
import { hashPassword } from '../../lib/password-hash.ts';
import { createPassword } from '../../lib/tokens.ts';
import { createUser, setUserPassword, UserExistsError } from './users.ts';

export interface NewAccount {
  username: string;
  /** The password as typed; null for an account that signs in through CAS only. */
  password: string | null;
  isSuperuser?: boolean;
}

/** The account's id, or what is wrong with the request (one sentence each). */
export type AccountOutcome = { ok: true; id: number } | { ok: false; problems: string[] };

/** Creates an account after checking its name and password; a taken name is a problem, not an error. */
export async function createAccount(database: Database, account: NewAccount): Promise<AccountOutcome> {
  const usernameProblem = checkUsername(account.username);
  if (usernameProblem) return { ok: false, problems: [usernameProblem] };
  if (account.password !== null) {
    const problems = await checkPassword(account.password, account.username);
    if (problems.length > 0) return { ok: false, problems };
  }
  try {
    const id = await createUser(database, {
      username: account.username,
      passwordHash: account.password === null ? null : await hashPassword(account.password),
      isSuperuser: account.isSuperuser,
    });
    return { ok: true, id };
  } catch (error) {
    if (error instanceof UserExistsError) return { ok: false, problems: [error.message] };
    throw error;
  }
}

/**
 * Sets an account's password after checking it, and ends the account's sessions but `keepSessionId`.
 * Returns the problems with the password (none when it was set).
 */
export async function changePassword(
  database: Database,
  account: { id: number; username: string },
  password: string,
  keepSessionId?: number,
): Promise<string[]> {
  const problems = await checkPassword(password, account.username);
  if (problems.length > 0) return problems;
  await setUserPassword(database, account.id, await hashPassword(password), keepSessionId);
  return [];
}

/**
 * A random password that the password rules accept for `username`. It has 96 random bits, far
 * beyond what the guessing estimate asks (about 27), so the estimate and its 30 MB of dictionaries
 * are not loaded for it: the first start's admin costs the server nothing lasting.
 */
export async function generatePassword(username: string): Promise<string> {
  for (;;) {
    const password = createPassword();
    if (checkPasswordShape(password, username).length === 0) return password;
  }
}
