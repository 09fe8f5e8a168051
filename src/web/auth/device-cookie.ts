/**
 * The device cookie: proof that this browser signed in to an account before, so that its owner gets
 * past the account's lock while a stranger's guesses keep it locked (login-throttle.ts). It is signed
 * with a key derived from the account's password hash: nothing to store, valid on every instance,
 * and void once the password changes.
 */
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { equalSecrets } from '../../lib/tokens.ts';
import type { UserRecord } from '../../store/accounts/users.ts';
import type { AppEnv } from '../env.ts';
import { isSecureRequest } from '../http/request-origin.ts';

export const DEVICE_COOKIE = 'debmonitor_device';
/** Renewed at every sign-in; a browser unused for this long is a new browser again. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;
/** Only the sign-in form needs it. */
const DEVICE_COOKIE_PATH = '/login/';
/** `<user id>.<issued, ms>.<HMAC-SHA256, base64url>` */
const TOKEN_PATTERN = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;
/** Clocks of several instances may differ a little. */
const CLOCK_SKEW_MS = 60_000;

function sign(passwordHash: string, userId: number, issuedMs: number): string {
  return createHmac('sha256', `debmonitor device ${passwordHash}`)
    .update(`${userId}.${issuedMs}`)
    .digest('base64url');
}

/** A device token for `user`, or null for an account without a password. */
export function createDeviceToken(user: UserRecord, now = new Date()): string | null {
  if (!user.passwordHash) return null;
  const issued = now.getTime();
  return `${user.id}.${issued}.${sign(user.passwordHash, user.id, issued)}`;
}

/** True when `token` was issued to `user`, with the current password, and has not expired. */
export function isDeviceTokenValid(token: string, user: UserRecord, now = new Date()): boolean {
  const match = TOKEN_PATTERN.exec(token);
  if (!match || !user.passwordHash) return false;
  const issued = Number(match[2]);
  const age = now.getTime() - issued;
  return (
    Number(match[1]) === user.id &&
    age >= -CLOCK_SKEW_MS &&
    age <= DEVICE_COOKIE_MAX_AGE_SECONDS * 1000 &&
    equalSecrets(match[3] ?? '', sign(user.passwordHash, user.id, issued))
  );
}

/** The request's device cookie, if it has the right shape. */
export function readDeviceCookie(c: Context<AppEnv>): string | undefined {
  const value = getCookie(c, DEVICE_COOKIE);
  return value && TOKEN_PATTERN.test(value) ? value : undefined;
}

/** Gives the browser a fresh device cookie for the account that just signed in. */
export function writeDeviceCookie(c: Context<AppEnv>, user: UserRecord): void {
  const token = createDeviceToken(user);
  if (!token) return;
  setCookie(c, DEVICE_COOKIE, token, {
    path: DEVICE_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c),
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
}
