/**
 * CSRF protection for forms. Signed-in users' forms carry the session's token (stored with the
 * session). The sign-in form, shown before any session exists, uses a double-submit cookie: a random
 * token in an HttpOnly cookie that the form must repeat. Signing that cookie would add nothing, as
 * there is no session to bind it to: anyone can fetch a valid pair from the sign-in page.
 */
import type { Context } from 'hono';
import { createToken, equalSecrets } from '../../lib/tokens.ts';
import type { AppEnv } from '../env.ts';
import { CSRF_FIELD } from '../views/csrf-field.tsx';
import { LOGIN_CSRF_COOKIE, readTokenCookie, writeTokenCookie } from './cookies.ts';

/** The sign-in form's cookie lives long enough for a page left open over lunch. */
const LOGIN_CSRF_MAX_AGE_SECONDS = 12 * 3600;

export const CSRF_FAILURE_TEXT =
  'CSRF check failed: the form was sent without its security token, or with an expired one. Reload the page and try again.';

/** The token a form (or an htmx request, through the X-CSRF-Token header) carried; '' when none. */
export function readSubmittedToken(c: Context<AppEnv>, form: Record<string, unknown>): string {
  for (const value of [form[CSRF_FIELD], form.csrfmiddlewaretoken, c.req.header('X-CSRF-Token')]) {
    if (typeof value === 'string' && value) return value;
  }
  return '';
}

/** The sign-in form's token: the one in the browser's cookie, or a new one (and its cookie). */
export function issueLoginFormToken(c: Context<AppEnv>): string {
  const existing = readTokenCookie(c, LOGIN_CSRF_COOKIE);
  if (existing) return existing;
  const token = createToken();
  writeTokenCookie(c, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE_SECONDS);
  return token;
}

/** True when the sign-in form repeated the token of its cookie. */
export function isLoginFormTokenValid(c: Context<AppEnv>, submitted: string): boolean {
  const expected = readTokenCookie(c, LOGIN_CSRF_COOKIE);
  return expected !== undefined && equalSecrets(expected, submitted);
}

/** True when a signed-in user's form carried the session's token. */
export function isSessionTokenValid(c: Context<AppEnv>, submitted: string): boolean {
  const expected = c.var.csrfToken;
  return expected !== undefined && equalSecrets(expected, submitted);
}

/** The 403 answer to a form without a valid token. */
export function rejectCsrf(c: Context<AppEnv>): Response {
  return c.text(CSRF_FAILURE_TEXT, 403);
}
