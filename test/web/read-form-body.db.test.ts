/** Forms are capped before they are parsed: sign-in, sign-out and the users page, on both dialects. */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { findUserByName } from '../../src/store/accounts/users.ts';
import { CSRF_FAILURE_TEXT } from '../../src/web/auth/csrf.ts';
import { FORM_TOO_LARGE_TEXT, MAX_FORM_BYTES } from '../../src/web/read-form-body.ts';
import type { CookieJar } from '../helpers/cookie-jar.ts';
import { DIALECTS } from '../helpers/databases.ts';
import { addUser, getPage, postForm, readCsrfField, signIn } from '../helpers/sign-in.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

// Argon2id hashing and MariaDB are slow on a loaded machine.
setDefaultTimeout(30_000);

const PASSWORD = 'correct horse battery';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** A urlencoded body of `size` bytes, made on demand 1 KiB at a time; `pulled()` tells how much was read. */
function countedStream(size: number): { body: ReadableStream<Uint8Array>; pulled(): number } {
  let pulled = 0;
  const piece = new TextEncoder().encode(`a=${'x'.repeat(1022)}`);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= size) return controller.close();
      pulled += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { body, pulled: () => pulled };
}

for (const kind of DIALECTS) {
  describe(`form size cap (${kind})`, () => {
    let t: TestApp;
    let admin: CookieJar;
    beforeAll(async () => {
      t = await createTestApp({ kind, config: { REQUIRE_LOGIN: true } });
      await addUser(t.database, 'root', PASSWORD, { isSuperuser: true });
      admin = (await signIn(t.request, 'root', PASSWORD)).jar;
    });
    afterAll(async () => t?.drop());

    for (const path of ['/login/', '/logout/']) {
      test(`${path}: a declared body over ${MAX_FORM_BYTES} bytes is 413 with a clear text`, async () => {
        const response = await t.request(path, {
          method: 'POST',
          headers: FORM,
          body: `csrf_token=x&a=${'x'.repeat(MAX_FORM_BYTES)}`,
        });
        expect(response.status).toBe(413);
        expect(await response.text()).toBe(FORM_TOO_LARGE_TEXT);
      });

      test(`${path}: a streamed body without Content-Length is cut just past the cap`, async () => {
        const stream = countedStream(32 * 1024 * 1024);
        const response = await t.request(path, { method: 'POST', headers: FORM, body: stream.body });
        expect(response.status).toBe(413);
        expect(await response.text()).toBe(FORM_TOO_LARGE_TEXT);
        expect(stream.pulled()).toBeLessThanOrEqual(MAX_FORM_BYTES + 2 * 1024);
      });

      test(`${path}: a Content-Length that understates the body does not dodge the cap`, async () => {
        const stream = countedStream(32 * 1024 * 1024);
        const response = await t.request(path, {
          method: 'POST',
          headers: { ...FORM, 'Content-Length': '100' },
          body: stream.body,
        });
        expect(response.status).toBe(413);
        expect(await response.text()).toBe(FORM_TOO_LARGE_TEXT);
        expect(stream.pulled()).toBeLessThanOrEqual(MAX_FORM_BYTES + 2 * 1024);
      });
    }

    test('a form just under the cap is parsed: it reaches the CSRF check', async () => {
      const body = `username=a&password=b&pad=${'x'.repeat(MAX_FORM_BYTES - 100)}`;
      const response = await t.request('/login/', { method: 'POST', headers: FORM, body });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain(CSRF_FAILURE_TEXT);
    });

    test('a multipart sign-in form still works', async () => {
      const page = await t.request('/login/');
      const cookie = page.headers.getSetCookie().map((line) => line.split(';')[0]);
      const form = new FormData();
      form.set('csrf_token', readCsrfField(await page.text(), '/login/'));
      form.set('username', 'root');
      form.set('password', PASSWORD);
      const response = await t.request('/login/', {
        method: 'POST',
        headers: { Cookie: cookie.join('; ') },
        body: form,
      });
      expect(response.status).toBe(302);
    });

    test('/admin/users: a large form from a superuser is 413 and creates nothing', async () => {
      const token = readCsrfField(await (await getPage(t.request, admin, '/admin/users')).text());
      const response = await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'bob',
        password: PASSWORD,
        pad: 'x'.repeat(MAX_FORM_BYTES),
      });
      expect(response.status).toBe(413);
      expect(await findUserByName(t.database, 'bob')).toBeNull();
      const small = await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'bob',
        password: PASSWORD,
      });
      expect(small.status).toBe(303);
    });
  });
}
