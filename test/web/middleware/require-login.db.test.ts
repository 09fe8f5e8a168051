/**
 * The login requirement of spec §3.2 step 2 and §4.3, on the real app (both dialects): anonymous
 * requests are sent to the sign-in page, except for the open paths.
 */

import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetUrl } from '../../../src/web/assets.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { addUser, signIn } from '../../helpers/sign-in.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

// Argon2id hashing, MariaDB and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

for (const kind of DIALECTS) {
  describe(`login required (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        kind,
        // An empty agents directory: /client answers 404 itself, whatever a local build left in dist/.
        config: { REQUIRE_LOGIN: true, AGENTS_DIR: mkdtempSync(join(tmpdir(), 'debmonitor-agents-')) },
      });
      await addUser(t.database, 'alice', 'correct horse battery');
    });
    afterAll(async () => t?.drop());

    describe('anonymous requests get 302 to /login/?next=…', () => {
      const cases: [string, RequestInit | undefined, string][] = [
        ['/', undefined, '/login/?next=/'],
        ['/search?q=abc', undefined, '/login/?next=/search%3Fq%3Dabc'],
        ['/hosts/', undefined, '/login/?next=/hosts/'],
        ['/hosts/no_such_host.example.com', undefined, '/login/?next=/hosts/no_such_host.example.com'],
        ['/admin/users', undefined, '/login/?next=/admin/users'],
        ['/hosts/', { headers: { Accept: 'application/json' } }, '/login/?next=/hosts/'],
        [
          '/hosts/host1.example.com',
          { headers: { Accept: 'application/json' } },
          '/login/?next=/hosts/host1.example.com',
        ],
      ];
      for (const [path, init, location] of cases) {
        test(`${init?.method ?? 'GET'} ${path}`, async () => {
          const response = await t.request(path, init);
          expect(response.status).toBe(302);
          expect(response.headers.get('Location')).toBe(location);
        });
      }
    });

    // With VERIFY_CLIENTS off (the test app's default), agents never sign in (docs/protocol.md).
    describe('agent endpoints answer without a session, never with the sign-in page', () => {
      const cases: [string, RequestInit | undefined, number][] = [
        ['/hosts/host1.example.com/update', { method: 'POST', body: '{}' }, 400],
        ['/hosts/host1.example.com', { method: 'DELETE' }, 404],
        ['/auth-check', undefined, 200],
      ];
      for (const [path, init, status] of cases) {
        test(`${init?.method ?? 'GET'} ${path}`, async () => {
          expect((await t.request(path, init)).status).toBe(status);
        });
      }
    });

    describe('open paths answer without a session', () => {
      const cases: [string, number][] = [
        ['/healthz', 200],
        ['/login/', 200],
        ['/login/?next=/hosts/', 200],
        [assetUrl('main.css'), 200],
        // No agent binary is built here: the download route itself answers, with where it looked.
        ['/client', 404],
      ];
      for (const [path, status] of cases) {
        test(path, async () => expect((await t.request(path)).status).toBe(status));
      }
      test('/logout/ signs out and goes to /login/', async () => {
        const response = await t.request('/logout/');
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toBe('/login/');
      });
    });

    test('an htmx request gets 401 with HX-Redirect back to the page the browser shows', async () => {
      const response = await t.request('/hosts/?page=2', {
        headers: { 'HX-Request': 'true', 'HX-Current-URL': 'http://localhost/hosts/?sort=name' },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('HX-Redirect')).toBe('/login/?next=/hosts/%3Fsort%3Dname');
    });

    test('a signed-in user gets the pages', async () => {
      const { jar } = await signIn(t.request, 'alice', 'correct horse battery');
      const response = await t.request('/hosts/', { headers: { Cookie: jar.header() } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Signed in as <strong>alice</strong>');
    });

    test('a forged session cookie is anonymous', async () => {
      const cookie = `debmonitor_session=${'A'.repeat(43)}`;
      const response = await t.request('/hosts/', { headers: { Cookie: cookie } });
      expect(response.status).toBe(302);
      expect(response.headers.getSetCookie().join()).toContain('debmonitor_session=;');
    });
  });

  describe(`login not required (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, config: { REQUIRE_LOGIN: false } });
    });
    afterAll(async () => t?.drop());

    test('pages and the API are open', async () => {
      expect((await t.request('/hosts/')).status).toBe(200);
      // The report view itself answers (400 for this body), not the sign-in redirect.
      const report = await t.request('/hosts/h1/update', { method: 'POST', body: '{}' });
      expect(report.status).toBe(400);
      expect(await report.text()).toContain('do not match');
    });

    test('the users page still needs a signed-in superuser', async () => {
      const response = await t.request('/admin/users');
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toBe('/login/?next=/admin/users');
    });
  });
}
