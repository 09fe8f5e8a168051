/**
 * Sign-in through Apereo CAS, driven end to end against a CAS server on 127.0.0.1 for every
 * CAS_VERSION, on both dialects: redirect, ticket validation by cas-authentication, user created or
 * refused, forged and replayed tickets, sign-out through CAS.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { findUserByName, setUserActive } from '../../../src/store/accounts/users.ts';
import { type FakeCasServer, startFakeCasServer } from '../../helpers/cas-server.ts';
import { createCookieJar } from '../../helpers/cookie-jar.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { addUser, type RequestFn } from '../../helpers/sign-in.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

// Argon2id hashing, MariaDB and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const VERSIONS = [
  { version: '1', endpoint: '/validate' },
  { version: '2', endpoint: '/serviceValidate' },
  { version: '3', endpoint: '/p3/serviceValidate' },
  { version: 'CAS_2_SAML_1.0', endpoint: '/samlValidate' },
] as const;

let cas: FakeCasServer;
beforeAll(() => {
  cas = startFakeCasServer();
});
afterAll(async () => cas?.stop());

/** Follows the CAS login redirect as a browser would and returns the URL CAS sends it back to. */
async function passThroughCas(casLoginUrl: string): Promise<string> {
  const response = await fetch(casLoginUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('Location') ?? '';
}

/** Starts at /login/?next=…, goes through CAS, and comes back with the ticket. */
async function roundTrip(request: RequestFn, next: string, username: string) {
  cas.setUser(username);
  const start = await request(`/login/?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(302);
  const back = new URL(await passThroughCas(start.headers.get('Location') ?? ''));
  const response = await request(back.pathname + back.search);
  const jar = createCookieJar();
  jar.store(response);
  return { start, back, response, jar, ticket: back.searchParams.get('ticket') ?? '' };
}

for (const kind of DIALECTS) {
  for (const { version, endpoint } of VERSIONS) {
    describe(`CAS ${version} (${kind})`, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await createTestApp({
          kind,
          config: { REQUIRE_LOGIN: true, CAS: { CAS_SERVER_URL: cas.url, CAS_VERSION: version } },
        });
      });
      afterAll(async () => t?.drop());

      test('/login/ redirects to the CAS login with this page and next as the service', async () => {
        const response = await t.request('/login/?next=/search%3Fq%3Dabc');
        expect(response.status).toBe(302);
        const location = new URL(response.headers.get('Location') ?? '');
        expect(`${location.origin}${location.pathname}`).toBe(`${cas.url}/login`);
        expect(location.searchParams.get('service')).toBe('http://localhost/login/?next=%2Fsearch%3Fq%3Dabc');
        expect(location.searchParams.has('renew')).toBe(false);
      });

      test('a valid ticket signs in, creates the user and goes to next', async () => {
        const before = cas.validations.length;
        const { response, jar } = await roundTrip(t.request, '/search?q=abc', `ann-${version}`);
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toBe('/search?q=abc');
        expect(cas.validations.slice(before).map((call) => call.endpoint)).toEqual([endpoint]);
        expect(cas.validations.at(-1)?.service).toBe('http://localhost/login/?next=%2Fsearch%3Fq%3Dabc');
        const created = await findUserByName(t.database, `ann-${version}`);
        expect(created?.passwordHash).toBeNull();
        expect(created?.isSuperuser).toBe(false);
        const page = await t.request('/search?q=abc', { headers: { Cookie: jar.header() } });
        expect(await page.text()).toContain(`Signed in as <strong>ann-${version}</strong>`);
      });

      test('a replayed ticket is refused without asking CAS again', async () => {
        const { back } = await roundTrip(t.request, '/', `ben-${version}`);
        const asked = cas.validations.length;
        const replay = await t.request(back.pathname + back.search);
        expect(replay.status).toBe(403);
        expect(await replay.text()).toContain('already used');
        expect(replay.headers.getSetCookie().some((line) => line.startsWith('debmonitor_session='))).toBe(
          false,
        );
        expect(cas.validations.length).toBe(asked);
      });

      test('a forged ticket is refused', async () => {
        const asked = cas.validations.length;
        const response = await t.request('/login/?next=%2F&ticket=ST-999-forged-cas');
        expect(response.status).toBe(403);
        expect(await response.text()).toContain('did not confirm');
        expect(cas.validations.length).toBe(asked + 1);
      });

      test('a ticket issued for another service is refused', async () => {
        cas.setUser(`cid-${version}`);
        const start = await t.request('/login/?next=%2Fhosts%2F');
        const back = new URL(await passThroughCas(start.headers.get('Location') ?? ''));
        const ticket = back.searchParams.get('ticket') ?? '';
        const response = await t.request(`/login/?next=%2Fkernels%2F&ticket=${encodeURIComponent(ticket)}`);
        expect(response.status).toBe(403);
        expect(await findUserByName(t.database, `cid-${version}`)).toBeNull();
      });

      test('a disabled account is refused', async () => {
        const id = await addUser(t.database, `dee-${version}`, 'a long password');
        await setUserActive(t.database, id, false);
        const { response } = await roundTrip(t.request, '/', `dee-${version}`);
        expect(response.status).toBe(403);
        expect(await response.text()).toContain('disabled');
      });

      test('sign-out ends the session and continues at the CAS logout', async () => {
        const { jar } = await roundTrip(t.request, '/', `eve-${version}`);
        const response = await t.request('/logout/', { headers: { Cookie: jar.header() } });
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toBe(
          `${cas.url}/logout?service=${encodeURIComponent('http://localhost/login/')}`,
        );
        await fetch(response.headers.get('Location') ?? '');
        expect(cas.logouts.at(-1)).toBe('http://localhost/login/');
        expect((await t.request('/search', { headers: { Cookie: jar.header() } })).status).toBe(302);
      });
    });
  }

  describe(`CAS with CAS_CREATE_USER false (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        kind,
        config: {
          REQUIRE_LOGIN: true,
          CAS: { CAS_SERVER_URL: cas.url, CAS_VERSION: '3', CAS_CREATE_USER: 'FALSE' },
        },
      });
      await addUser(t.database, 'known', 'a long password');
    });
    afterAll(async () => t?.drop());

    test('an unknown user is refused with a clear page and not created', async () => {
      const { response } = await roundTrip(t.request, '/', 'stranger');
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('has no DebMonitor account');
      expect(await findUserByName(t.database, 'stranger')).toBeNull();
    });

    test('a known user signs in', async () => {
      const { response } = await roundTrip(t.request, '/', 'known');
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toBe('/');
    });
  });

  describe(`CAS behind a reverse proxy (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, config: { CAS: { CAS_SERVER_URL: `${cas.url}/`, CAS_VERSION: 2 } } });
    });
    afterAll(async () => t?.drop());

    const proxied: RequestFn = (path, init) =>
      t.request(`http://127.0.0.1:8080${path}`, {
        ...init,
        headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'debmonitor.example.org' },
      });

    test('the service URL is the public one, from a trusted proxy', async () => {
      const response = await proxied('/login/?next=/hosts/');
      const location = new URL(response.headers.get('Location') ?? '');
      expect(location.searchParams.get('service')).toBe(
        'https://debmonitor.example.org/login/?next=%2Fhosts%2F',
      );
    });

    test('the round trip works with that service URL and the cookie is Secure', async () => {
      const { response } = await roundTrip(proxied, '/hosts/', 'proxied-user');
      expect(response.status).toBe(302);
      expect(response.headers.getSetCookie().find((line) => line.startsWith('debmonitor_session='))).toMatch(
        /Secure/,
      );
    });

    test('an untrusted peer cannot choose the service host', async () => {
      const response = await t.request(
        '/login/',
        { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example.com' } },
        { remoteAddress: '10.0.0.9' },
      );
      const location = new URL(response.headers.get('Location') ?? '');
      expect(location.searchParams.get('service')).toBe('http://localhost/login/?next=%2F');
    });

    test('the password form is not offered', async () => {
      const response = await t.request('/login/', {
        method: 'POST',
        body: new URLSearchParams({ username: 'a' }),
      });
      expect(response.status).toBe(405);
    });
  });

  describe(`CAS server unreachable (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
      const port = closed.port;
      await closed.stop(true);
      t = await createTestApp({ kind, config: { CAS: { CAS_SERVER_URL: `http://127.0.0.1:${port}/cas` } } });
    });
    afterAll(async () => t?.drop());

    test('a ticket cannot be checked, so the sign-in is refused (not a 500)', async () => {
      const response = await t.request('/login/?next=%2F&ticket=ST-1-abc-cas');
      expect(response.status).toBe(403);
      expect(t.log.lines.some((line) => line.includes('CAS ticket refused'))).toBe(true);
    });
  });
}
