/** Opening and ending sign-in sessions for a request: the database row and the cookie together. */
import type { Context } from 'hono';
import { createToken, sha256Hex } from '../../lib/tokens.ts';
import { purgeFailuresBefore } from '../../store/accounts/login-failures.ts';
import { createSession, deleteSession, purgeDeadSessions } from '../../store/accounts/sessions.ts';
import { purgeTicketsBefore } from '../../store/accounts/used-tickets.ts';
import { recordLogin } from '../../store/accounts/users.ts';
import type { AppEnv } from '../env.ts';
import {
  clearTokenCookie,
  LOGIN_CSRF_COOKIE,
  readTokenCookie,
  SESSION_COOKIE,
  writeTokenCookie,
} from './cookies.ts';
import { FAILURE_WINDOW_MS } from './login-throttle.ts';

/** Used CAS tickets are kept this long; CAS servers let a ticket live seconds to minutes. */
const TICKET_MEMORY_MS = 24 * 3600 * 1000;

/** Signs `userId` in: stores a new session, sets its cookie, and drops the sign-in form's cookie. */
export async function openSession(c: Context<AppEnv>, userId: number): Promise<void> {
  const { config, database } = c.var;
  const now = new Date();
  // A new token at every sign-in (no session fixation); the browser's previous session ends.
  const previous = readTokenCookie(c, SESSION_COOKIE);
  if (previous) await deleteSession(database, sha256Hex(previous));
  const token = createToken();
  await createSession(
    database,
    {
      tokenHash: sha256Hex(token),
      userId,
      csrfToken: createToken(),
      expires: new Date(now.getTime() + config.SESSION_MAX_AGE_SECONDS * 1000),
    },
    now,
  );
  writeTokenCookie(c, SESSION_COOKIE, token, config.SESSION_MAX_AGE_SECONDS);
  clearTokenCookie(c, LOGIN_CSRF_COOKIE);
  await recordLogin(database, userId, now);
  await purgeStaleRows(c, now);
}

/** Ends the session of the request's cookie (if any) and clears the cookie. */
export async function closeSession(c: Context<AppEnv>): Promise<void> {
  const token = readTokenCookie(c, SESSION_COOKIE);
  if (token) await deleteSession(c.var.database, sha256Hex(token));
  clearTokenCookie(c, SESSION_COOKIE);
}

/**
 * Deletes dead sessions, old failures and old tickets. Done at each sign-in rather than by a timer,
 * so that no instance needs a scheduler; failures here must not fail the sign-in.
 */
async function purgeStaleRows(c: Context<AppEnv>, now: Date): Promise<void> {
  const { config, database, log } = c.var;
  try {
    await purgeDeadSessions(database, config.SESSION_IDLE_SECONDS * 1000, now);
    await purgeFailuresBefore(database, new Date(now.getTime() - FAILURE_WINDOW_MS));
    await purgeTicketsBefore(database, new Date(now.getTime() - TICKET_MEMORY_MS));
  } catch (error) {
    log.warn(`Could not purge expired sign-in rows: ${(error as Error).message}`);
  }
}
