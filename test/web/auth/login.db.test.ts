/** Signing in and out with local accounts, on both dialects. */
import { afterAll, beforeAll, beforeEach, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../../src/db/open-database.ts';
import { createMemoryLogger } from '../../../src/lib/logger.ts';
import { setUserActive } from '../../../src/store/accounts/users.ts';
import { createStore } from '../../../src/store/store.ts';
import { createApp } from '../../../src/web/app.ts';
import { CSRF_FAILURE_TEXT } from '../../../src/web/auth/csrf.ts';
import { DEVICE_COOKIE } from '../../../src/web/auth/device-cookie.ts';
import {
  ACCOUNT_FAILURE_LIMIT,
  ADDRESS_FAILURE_LIMIT,
  THROTTLED_TEXT,
} from '../../../src/web/auth/login-throttle.ts';
import { WRONG_CREDENTIALS_TEXT } from '../../../src/web/routes/auth/login.tsx';
import { createCookieJar } from '../../helpers/cookie-jar.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { addUser, getPage, postForm, readCsrfField, signIn } from '../../helpers/sign-in.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

// Argon2id hashing, MariaDB and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const PASSWORD = 'correct horse battery';

for (const kind of DIALECTS) {
  describe(`local sign-in (${kind})`, () => {
    let t: TestApp;
    let aliceId: number;
    beforeAll(async () => {
      t = await createTestApp({ kind, config: { REQUIRE_LOGIN: true } });
      aliceId = await addUser(t.database, 'alice', PASSWORD);
      await addUser(t.database, 'bob', PASSWORD);
      await addUser(t.database, 'carol', PASSWORD);
    });
    afterAll(async () => t?.drop());
    beforeEach(async () => {
      // Each test starts with no failures counted.
      await t.database.transaction(async (tx) => {
        await tx.db.delete(t.database.tables.loginFailures);
      });
    });

    describe('success', () => {
      test('redirects to next with an HttpOnly, SameSite=Lax session cookie', async () => {
        const { response } = await signIn(t.request, 'alice', PASSWORD, { next: '/search?q=abc' });
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toBe('/search?q=abc');
        const cookie = response.headers.getSetCookie().find((line) => line.startsWith('debmonitor_session='));
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        expect(cookie).not.toMatch(/Secure/);
      });

      test('without next, goes to /', async () => {
        const { response } = await signIn(t.request, 'alice', PASSWORD);
        expect(response.headers.get('Location')).toBe('/');
      });

      test("signing in again replaces the browser's previous session", async () => {
        const first = await signIn(t.request, 'alice', PASSWORD);
        const oldCookie = first.jar.header();
        const second = await signIn(t.request, 'bob', PASSWORD, { jar: first.jar });
        expect(second.response.status).toBe(302);
        expect(second.jar.header()).not.toBe(oldCookie);
        expect((await t.request('/hosts/', { headers: { Cookie: oldCookie } })).status).toBe(302);
        expect(await (await getPage(t.request, second.jar, '/hosts/')).text()).toContain(
          'Signed in as <strong>bob</strong>',
        );
      });

      test('the session cookie opens the pages', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        const page = await getPage(t.request, jar, '/hosts/');
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Signed in as <strong>alice</strong>');
      });

      test('stores only a hash of the cookie value', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        const token = jar.get('debmonitor_session') ?? '';
        const rows = await t.database.db.select().from(t.database.tables.sessions);
        expect(rows.some((row) => row.tokenHash === token)).toBe(false);
        expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.tokenHash))).toBe(true);
      });
    });

    describe('failure', () => {
      test('a wrong password gives 200 with the form error and keeps the name', async () => {
        const { response } = await signIn(t.request, 'alice', 'wrong password');
        expect(response.status).toBe(200);
        const html = await response.text();
        expect(html).toContain(WRONG_CREDENTIALS_TEXT);
        expect(html).toContain('value="alice"');
        expect(response.headers.getSetCookie().some((line) => line.startsWith('debmonitor_session='))).toBe(
          false,
        );
      });

      test('an unknown user gets the same answer as a wrong password', async () => {
        const unknown = await (await signIn(t.request, 'nobody', PASSWORD)).response.text();
        const wrong = await (await signIn(t.request, 'bob', 'wrong password')).response.text();
        const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
        expect(strip(unknown)).toBe(strip(wrong));
      });

      test('a disabled account cannot sign in', async () => {
        const id = await addUser(t.database, `dora-${kind}`, PASSWORD);
        await setUserActive(t.database, id, false);
        const { response } = await signIn(t.request, `dora-${kind}`, PASSWORD);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain(WRONG_CREDENTIALS_TEXT);
      });

      test('an absurdly long password is refused like a wrong one', async () => {
        const { response } = await signIn(t.request, 'alice', 'x'.repeat(5000));
        expect(response.status).toBe(200);
        expect(await response.text()).toContain(WRONG_CREDENTIALS_TEXT);
      });

      test('user names are case-sensitive', async () => {
        const { response } = await signIn(t.request, 'Alice', PASSWORD);
        expect(await response.text()).toContain(WRONG_CREDENTIALS_TEXT);
      });
    });

    describe('open-redirect attempts in next end at /', () => {
      const attacks = [
        '//evil.example.com/',
        'https://evil.example.com/',
        '/\\evil.example.com',
        'http:evil',
        '/\t/evil',
      ];
      for (const attack of attacks) {
        test(JSON.stringify(attack), async () => {
          const { response } = await signIn(t.request, 'alice', PASSWORD, { next: attack });
          expect(response.status).toBe(302);
          expect(response.headers.get('Location')).toBe('/');
        });
      }
      test('the form carries only a safe next', async () => {
        const page = await t.request(`/login/?next=${encodeURIComponent('//evil.example.com')}`);
        expect(await page.text()).toContain('name="next" value="/"');
      });
    });

    describe('CSRF', () => {
      test('a sign-in without the token is refused with 403 and a clear text', async () => {
        const jar = createCookieJar();
        await getPage(t.request, jar, '/login/');
        const response = await postForm(t.request, jar, '/login/', { username: 'alice', password: PASSWORD });
        expect(response.status).toBe(403);
        expect(await response.text()).toBe(CSRF_FAILURE_TEXT);
      });

      test('a sign-in with a token but without its cookie is refused', async () => {
        const page = await t.request('/login/');
        const token = readCsrfField(await page.text());
        const response = await postForm(t.request, createCookieJar(), '/login/', {
          csrf_token: token,
          username: 'alice',
          password: PASSWORD,
        });
        expect(response.status).toBe(403);
      });

      test("a sign-in with another browser's token is refused", async () => {
        const jar = createCookieJar();
        await getPage(t.request, jar, '/login/');
        const other = readCsrfField(await (await t.request('/login/')).text());
        const response = await postForm(t.request, jar, '/login/', {
          csrf_token: other,
          username: 'alice',
          password: PASSWORD,
        });
        expect(response.status).toBe(403);
      });

      test('a sign-out POST without the token is refused and the session lives on', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        const response = await postForm(t.request, jar, '/logout/', {});
        expect(response.status).toBe(403);
        expect((await getPage(t.request, jar, '/hosts/')).status).toBe(200);
      });
    });

    describe('rate limits', () => {
      test(`after ${ACCOUNT_FAILURE_LIMIT} failures an account is locked for new browsers, even for the right password`, async () => {
        for (let attempt = 0; attempt < ACCOUNT_FAILURE_LIMIT; attempt += 1) {
          const { response } = await signIn(t.request, 'bob', `wrong ${attempt}`);
          expect(response.status).toBe(200);
        }
        const { response } = await signIn(t.request, 'bob', PASSWORD);
        expect(response.status).toBe(429);
        expect(await response.text()).toContain(THROTTLED_TEXT);
        // Another account is not affected.
        expect((await signIn(t.request, 'carol', PASSWORD)).response.status).toBe(302);
      }, 60_000);

      test('a browser that signed in before keeps signing in while a stranger locks the account', async () => {
        const owner = await signIn(t.request, 'bob', PASSWORD);
        const cookie = owner.response.headers
          .getSetCookie()
          .find((line) => line.startsWith(`${DEVICE_COOKIE}=`));
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        expect(cookie).toMatch(/Path=\/login\//);
        const stranger = (path: string, init?: RequestInit) =>
          t.request(path, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), 'X-Forwarded-For': '203.0.113.8' },
          });
        for (let attempt = 0; attempt <= ACCOUNT_FAILURE_LIMIT; attempt += 1)
          await signIn(stranger, 'bob', `wrong ${attempt}`);
        expect((await signIn(t.request, 'bob', PASSWORD)).response.status).toBe(429);
        expect((await signIn(t.request, 'bob', PASSWORD, { jar: owner.jar })).response.status).toBe(302);
        // Signing out keeps the device cookie: it is not a session.
        await getPage(t.request, owner.jar, '/logout/');
        expect(owner.jar.get(DEVICE_COOKIE)).toBeString();
        expect((await signIn(t.request, 'bob', PASSWORD, { jar: owner.jar })).response.status).toBe(302);
      }, 60_000);

      test('an unknown name is locked the same way', async () => {
        for (let attempt = 0; attempt < ACCOUNT_FAILURE_LIMIT; attempt += 1)
          await signIn(t.request, 'ghost', 'x');
        const { response } = await signIn(t.request, 'ghost', 'x');
        expect(response.status).toBe(429);
      }, 60_000);

      test('an address is locked after its failures; a success there does not reset it', async () => {
        const from = (address: string) => ({ connection: { remoteAddress: '127.0.0.1' }, address });
        const attacker = from('203.0.113.7');
        const request = (path: string, init?: RequestInit) =>
          t.request(
            path,
            {
              ...init,
              headers: { ...(init?.headers as Record<string, string>), 'X-Forwarded-For': attacker.address },
            },
            attacker.connection,
          );
        for (let attempt = 0; attempt < ADDRESS_FAILURE_LIMIT - 1; attempt += 1) {
          await signIn(request, `guess${attempt % 4}`, 'x');
        }
        expect((await signIn(request, 'carol', PASSWORD)).response.status).toBe(302);
        await signIn(request, 'guess9', 'x');
        expect((await signIn(request, 'carol', PASSWORD)).response.status).toBe(429);
        // The same account from another client address is fine.
        const other = (path: string, init?: RequestInit) =>
          t.request(path, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), 'X-Forwarded-For': '198.51.100.1' },
          });
        expect((await signIn(other, 'carol', PASSWORD)).response.status).toBe(302);
      }, 60_000);

      test('X-Forwarded-For from an untrusted peer is ignored', async () => {
        for (let attempt = 0; attempt < ADDRESS_FAILURE_LIMIT; attempt += 1) {
          const request = (path: string, init?: RequestInit) =>
            t.request(
              path,
              {
                ...init,
                headers: {
                  ...(init?.headers as Record<string, string>),
                  'X-Forwarded-For': `192.0.2.${attempt}`,
                },
              },
              { remoteAddress: '10.9.8.7' },
            );
          await signIn(request, `spray${attempt % 4}`, 'x');
        }
        const { response } = await signIn(t.request, 'carol', PASSWORD, {
          connection: { remoteAddress: '10.9.8.7' },
        });
        expect(response.status).toBe(429);
      }, 60_000);
    });

    describe('secure cookies', () => {
      test('Secure when a trusted proxy says the request came over HTTPS', async () => {
        const request = (path: string, init?: RequestInit) =>
          t.request(path, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), 'X-Forwarded-Proto': 'https' },
          });
        const { response } = await signIn(request, 'alice', PASSWORD);
        expect(
          response.headers.getSetCookie().find((line) => line.startsWith('debmonitor_session=')),
        ).toMatch(/Secure/);
      });

      test('not Secure when an untrusted peer claims HTTPS', async () => {
        const request = (path: string, init?: RequestInit) =>
          t.request(
            path,
            {
              ...init,
              headers: { ...(init?.headers as Record<string, string>), 'X-Forwarded-Proto': 'https' },
            },
            { remoteAddress: '10.1.1.1' },
          );
        const { response } = await signIn(request, 'alice', PASSWORD);
        expect(
          response.headers.getSetCookie().find((line) => line.startsWith('debmonitor_session=')),
        ).not.toMatch(/Secure/);
      });

      test('Secure when the URL itself is https', async () => {
        const request = (path: string, init?: RequestInit) =>
          t.request(`https://localhost${path}`, init, { remoteAddress: '10.1.1.1' });
        const { response } = await signIn(request, 'alice', PASSWORD);
        expect(
          response.headers.getSetCookie().find((line) => line.startsWith('debmonitor_session=')),
        ).toMatch(/Secure/);
      });
    });

    describe('session lifetime', () => {
      const setSessionTimes = async (column: 'last_seen' | 'expires', ageMs: number) => {
        const value = new Date(Date.now() - ageMs);
        await t.database.transaction(async (tx) => {
          await tx.db
            .update(t.database.tables.sessions)
            .set(column === 'last_seen' ? { lastSeen: value } : { expires: value });
        });
      };

      test('an idle session ends', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        await setSessionTimes('last_seen', (t.config.SESSION_IDLE_SECONDS + 5) * 1000);
        expect((await getPage(t.request, jar, '/hosts/')).status).toBe(302);
      });

      test('a session past its absolute end ends, however active', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        await setSessionTimes('expires', 1000);
        expect((await getPage(t.request, jar, '/hosts/')).status).toBe(302);
      });

      test('use is recorded at most once a minute', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        const { sessions } = t.database.tables;
        const lastSeen = async () =>
          (
            await t.database.db
              .select({ at: sessions.lastSeen })
              .from(sessions)
              .where(sql`${sessions.userId} = ${aliceId}`)
          ).map((row) => row.at.getTime());
        await setSessionTimes('last_seen', 20_000);
        const before = await lastSeen();
        await getPage(t.request, jar, '/hosts/');
        expect(await lastSeen()).toEqual(before);
        await setSessionTimes('last_seen', 120_000);
        await getPage(t.request, jar, '/hosts/');
        const touched = await lastSeen();
        expect(touched.some((at) => Date.now() - at < 30_000)).toBe(true);
      });

      test('disabling an account ends its sessions', async () => {
        const id = await addUser(t.database, `erin-${kind}`, PASSWORD);
        const { jar } = await signIn(t.request, `erin-${kind}`, PASSWORD);
        expect((await getPage(t.request, jar, '/hosts/')).status).toBe(200);
        await setUserActive(t.database, id, false);
        expect((await getPage(t.request, jar, '/hosts/')).status).toBe(302);
      });
    });

    describe('sign-out', () => {
      test('POST with the token ends the session: the cookie no longer works', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        const cookie = jar.header();
        // The user menu of the layout carries the sign-out form with the session's token.
        const page = await getPage(t.request, jar, '/login/');
        const token =
          /action="\/logout\/"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"/.exec(
            await page.text(),
          )?.[1];
        expect(token).toBeString();
        const response = await postForm(t.request, jar, '/logout/', { csrf_token: token ?? '' });
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toBe('/login/');
        const replay = await t.request('/hosts/', { headers: { Cookie: cookie } });
        expect(replay.status).toBe(302);
      });

      test('GET /logout/ also ends the session (as upstream)', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        const cookie = jar.header();
        const response = await getPage(t.request, jar, '/logout/');
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toBe('/login/');
        expect((await t.request('/hosts/', { headers: { Cookie: cookie } })).status).toBe(302);
      });
    });

    describe('several instances', () => {
      test('a session survives a restart (a new app on the same database)', async () => {
        const { jar } = await signIn(t.request, 'alice', PASSWORD);
        const restarted = createApp({ config: t.config, store: t.store, log: createMemoryLogger() });
        const response = await restarted.request(
          'http://localhost/hosts/',
          { headers: { Cookie: jar.header() } },
          { remoteAddress: '127.0.0.1' },
        );
        expect(response.status).toBe(200);
        expect(await response.text()).toContain('Signed in as <strong>alice</strong>');
      });

      test('two instances on their own connections share sessions, and a sign-out on one ends it on both', async () => {
        const second = await openDatabase(t.url);
        try {
          const other = createApp({
            config: t.config,
            store: createStore(second),
            log: createMemoryLogger(),
          });
          const requestOther = (path: string, init?: RequestInit) =>
            Promise.resolve(other.request(`http://localhost${path}`, init, { remoteAddress: '127.0.0.1' }));
          const { jar } = await signIn(t.request, 'alice', PASSWORD);
          const cookie = jar.header();
          const seen = await requestOther('/hosts/', { headers: { Cookie: cookie } });
          expect(await seen.text()).toContain('Signed in as <strong>alice</strong>');
          expect((await requestOther('/logout/', { headers: { Cookie: cookie } })).status).toBe(302);
          expect((await t.request('/hosts/', { headers: { Cookie: cookie } })).status).toBe(302);
        } finally {
          await second.close();
        }
      });
    });
  });
}
