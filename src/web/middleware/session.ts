/**
 * Loads the signed-in user from the session cookie into c.var.user and the session's CSRF token into
 * c.var.csrfToken (docs/architecture.md, "Sign-in"). Marks the session used at most once a minute, so
 * a page with many requests does not write each time.
 */
import type { MiddlewareHandler } from 'hono';
import { sha256Hex } from '../../lib/tokens.ts';
import { findLiveSession, touchSession } from '../../store/accounts/sessions.ts';
import { clearTokenCookie, readTokenCookie, SESSION_COOKIE } from '../auth/cookies.ts';
import type { DirectoryRecheck } from '../auth/directory-recheck.ts';
import type { AppEnv } from '../env.ts';

const TOUCH_INTERVAL_MS = 60_000;
/** Paths that never need to know the user: static files, health checks, the agent download. */
const SESSIONLESS = /^\/(static\/|healthz$|client(\/|$))/;

/**
 * Creates the session-loading middleware; with `directory`, a directory account's session ends when
 * the directory no longer lets the user in (../auth/directory-recheck.ts).
 */
export function loadSession(directory?: DirectoryRecheck): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('user', null);
    const token = SESSIONLESS.test(c.req.path) ? undefined : readTokenCookie(c, SESSION_COOKIE);
    if (token) {
      const { config, database, log } = c.var;
      const now = new Date();
      const session = await findLiveSession(
        database,
        sha256Hex(token),
        config.SESSION_IDLE_SECONDS * 1000,
        now,
      );
      if (session && directory && !(await directory.stillAllowed(database, session.user, log))) {
        clearTokenCookie(c, SESSION_COOKIE);
      } else if (session) {
        c.set('user', session.user);
        c.set('csrfToken', session.csrfToken);
        if (now.getTime() - session.lastSeen.getTime() >= TOUCH_INTERVAL_MS) {
          // A failed touch only shortens the idle lifetime; the request itself must go on.
          await touchSession(database, session.id, now).catch((error: Error) =>
            log.warn(`Could not mark session ${session.id} as used: ${error.message}`),
          );
        }
      } else {
        clearTokenCookie(c, SESSION_COOKIE);
      }
    }
    await next();
  };
}
