/** The cookies of sign-in: the session cookie and the sign-in form's CSRF cookie. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env.ts';
import { isSecureRequest } from '../http/request-origin.ts';

export const SESSION_COOKIE = 'debmonitor_session';
export const LOGIN_CSRF_COOKIE = 'debmonitor_login_csrf';
/** Shape of our tokens (32 random bytes, base64url); anything else in a cookie is ignored. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Reads one of our token cookies; undefined when absent or malformed. */
export function readTokenCookie(c: Context<AppEnv>, name: string): string | undefined {
  const value = getCookie(c, name);
  return value && TOKEN_PATTERN.test(value) ? value : undefined;
}

/** Sets a token cookie: HttpOnly, SameSite=Lax, Secure when the browser came over HTTPS. */
export function writeTokenCookie(
  c: Context<AppEnv>,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  setCookie(c, name, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c),
    maxAge: maxAgeSeconds,
  });
}

/** Removes a token cookie from the browser. */
export function clearTokenCookie(c: Context<AppEnv>, name: string): void {
  deleteCookie(c, name, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isSecureRequest(c) });
}
