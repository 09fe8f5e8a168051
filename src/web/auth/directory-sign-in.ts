/**
 * Sign-in with an LDAP block: accounts with a local password (the first start's admin, accounts
 * made with `user add`) sign in locally as before; every other name is checked against the
 * directory, and its account is created or updated from the entry and its groups. The same attempt
 * limits apply to both.
 */
import type { Database } from '../../db/open-database.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/password-policy.ts';
import { MAX_USERNAME_LENGTH } from '../../domain/username-policy.ts';
import { endSessionsOf, setUserSuperuser } from '../../store/accounts/directory-accounts.ts';
import {
  createUser,
  findUserByName,
  setUserActive,
  UserExistsError,
  type UserRecord,
} from '../../store/accounts/users.ts';
import { judgeGroups } from '../ldap/group-policy.ts';
import type { Directory } from '../ldap/ldap-directory.ts';
import type { LdapSettings } from '../ldap/ldap-settings.ts';
import { type LocalSignIn, signInLocally } from './local-sign-in.ts';
import { beginAttempt } from './login-throttle.ts';

/** The directory and the rules its answers are judged by. */
export interface LdapSignIn {
  directory: Directory;
  settings: LdapSettings;
}

export type DirectorySignIn =
  | LocalSignIn
  /** A refusal the log may explain: no such user, a wrong password, a name taken locally. */
  | { outcome: 'refused'; reason: string }
  /** The password was right but the groups (or a disabled account) keep the user out. */
  | { outcome: 'not-allowed'; reason: string }
  /** The directory could not be asked; nothing was checked and nothing counted. */
  | { outcome: 'unavailable'; reason: string };

export interface Credentials {
  username: string;
  password: string;
  address: string;
  deviceToken?: string;
}

/** Checks the credentials; `reason`, when there is one, is for the log and never names the password. */
export async function signInWithDirectory(
  database: Database,
  ldap: LdapSignIn,
  credentials: Credentials,
): Promise<DirectorySignIn> {
  const { username, password, address, deviceToken } = credentials;
  const local = username ? await findUserByName(database, username) : null;
  // A local password is never checked against the directory, nor a directory user let into it.
  if (local?.passwordHash) return signInLocally(database, username, password, address, deviceToken);

  const attempt = await beginAttempt(database, { username, address });
  if (attempt.throttled) return { outcome: 'throttled' };
  if (password.length > MAX_PASSWORD_LENGTH) return { outcome: 'refused', reason: 'password too long' };
  const answer = await ldap.directory.authenticate(username, password);
  if (answer.outcome === 'unavailable') {
    await attempt.withdraw();
    return answer;
  }
  if (answer.outcome === 'refused') return answer;

  if (answer.name.length > MAX_USERNAME_LENGTH) {
    return { outcome: 'refused', reason: `the account name from ${answer.dn} is too long` };
  }
  const account = await findUserByName(database, answer.name);
  if (account?.passwordHash) {
    return {
      outcome: 'refused',
      reason: `${answer.dn} names the local account ${JSON.stringify(answer.name)}`,
    };
  }
  const verdict = judgeGroups(ldap.settings, answer.groups);
  if (!verdict.allowed) {
    // Whoever left the groups is out everywhere, not only in this browser.
    if (account) await endSessionsOf(database, account.id);
    return { outcome: 'not-allowed', reason: verdict.reason };
  }
  if (!account && ldap.settings.noNewUsers) {
    return {
      outcome: 'refused',
      reason: `no account ${JSON.stringify(answer.name)} and LDAP.NO_NEW_USERS is set`,
    };
  }
  const user = await applyEntry(
    database,
    answer.name,
    account,
    verdict.flags,
    ldap.settings.alwaysUpdateUser,
  );
  if (!user)
    return {
      outcome: 'refused',
      reason: `the account ${JSON.stringify(answer.name)} was made local meanwhile`,
    };
  if (!user.isActive) {
    return { outcome: 'not-allowed', reason: `the account ${JSON.stringify(answer.name)} is disabled` };
  }
  await attempt.succeeded();
  return { outcome: 'ok', user };
}

/** Creates the account, or updates its flags; returns it as stored. */
async function applyEntry(
  database: Database,
  name: string,
  account: UserRecord | null,
  flags: { isActive?: boolean; isSuperuser?: boolean },
  update: boolean,
): Promise<UserRecord | null> {
  let current = account;
  if (!current) {
    try {
      await createUser(database, {
        username: name,
        passwordHash: null,
        isSuperuser: flags.isSuperuser ?? false,
      });
    } catch (error) {
      // Two first sign-ins at once: the other one created it.
      if (!(error instanceof UserExistsError)) throw error;
    }
    current = await findUserByName(database, name);
    if (!current || current.passwordHash) return null;
  } else if (!update) {
    return current;
  }
  if (flags.isSuperuser !== undefined && flags.isSuperuser !== current.isSuperuser) {
    await setUserSuperuser(database, current.id, flags.isSuperuser);
  }
  if (flags.isActive !== undefined && flags.isActive !== current.isActive) {
    // Disabling also ends the account's sessions.
    await setUserActive(database, current.id, flags.isActive);
  }
  return findUserByName(database, name);
}
