/** Signing in through the real form of an app under test. */
import type { Database } from '../../src/db/open-database.ts';
import { hashPassword } from '../../src/lib/password-hash.ts';
import { createUser } from '../../src/store/accounts/users.ts';
import type { ConnectionInfo } from '../../src/web/env.ts';
import { type CookieJar, createCookieJar } from './cookie-jar.ts';

export type RequestFn = (
  path: string,
  init?: RequestInit,
  connection?: Partial<ConnectionInfo>,
) => Promise<Response>;

/** Creates an account with a password (argon2id, at the low cost of test/helpers/preload.ts). */
export async function addUser(
  database: Database,
  username: string,
  password: string,
  options: { isSuperuser?: boolean } = {},
): Promise<number> {
  return createUser(database, {
    username,
    passwordHash: await hashPassword(password),
    isSuperuser: options.isSuperuser,
  });
}

/** Reads the value of the first hidden CSRF field of a page, or of the form posting to `action`. */
export function readCsrfField(html: string, action?: string): string {
  const form = action ? (html.split(`action="${action}"`)[1] ?? '') : html;
  const match = /name="csrf_token" value="([^"]*)"/.exec(form);
  if (!match?.[1]) throw new Error(`no CSRF field in:\n${html.slice(0, 500)}`);
  return match[1];
}

/** Sends a form (urlencoded) with the jar's cookies and stores the cookies of the answer. */
export async function postForm(
  request: RequestFn,
  jar: CookieJar,
  path: string,
  fields: Record<string, string>,
  connection?: Partial<ConnectionInfo>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await request(
    path,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header(), ...headers },
      body: new URLSearchParams(fields).toString(),
    },
    connection,
  );
  jar.store(response);
  return response;
}

/** Gets a page with the jar's cookies and stores the cookies of the answer. */
export async function getPage(
  request: RequestFn,
  jar: CookieJar,
  path: string,
  headers: Record<string, string> = {},
  connection?: Partial<ConnectionInfo>,
): Promise<Response> {
  const response = await request(path, { headers: { Cookie: jar.header(), ...headers } }, connection);
  jar.store(response);
  return response;
}

/** Opens the sign-in form, then posts it; returns the answer and the jar (with the session cookie). */
export async function signIn(
  request: RequestFn,
  username: string,
  password: string,
  options: { next?: string; jar?: CookieJar; connection?: Partial<ConnectionInfo> } = {},
): Promise<{ response: Response; jar: CookieJar }> {
  const jar = options.jar ?? createCookieJar();
  const query = options.next === undefined ? '' : `?next=${encodeURIComponent(options.next)}`;
  const form = await getPage(request, jar, `/login/${query}`, {}, options.connection);
  const token = readCsrfField(await form.text(), '/login/');
  const fields: Record<string, string> = { csrf_token: token, username, password };
  if (options.next !== undefined) fields.next = options.next;
  const response = await postForm(request, jar, '/login/', fields, options.connection);
  return { response, jar };
}
