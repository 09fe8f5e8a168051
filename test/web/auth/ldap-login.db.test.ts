/**
 * Signing in with an LDAP block, through the real form, against a real slapd (one for the file),
 * on both dialects: accounts made and updated from the entry and its groups, refusals by group and
 * the end of the sessions of whoever left, filter injection in the username, local accounts beside
 * the directory, a directory that is down or misconfigured, the attempt limits, CSRF, TLS, and CAS
 * winning when both blocks are given.
 */
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  setDefaultTimeout,
  setSystemTime,
  test,
} from 'bun:test';
import { findUserByName, setUserActive } from '../../../src/store/accounts/users.ts';
import { CSRF_FAILURE_TEXT } from '../../../src/web/auth/csrf.ts';
import { ACCOUNT_FAILURE_LIMIT, THROTTLED_TEXT } from '../../../src/web/auth/login-throttle.ts';
import {
  LDAP_UNAVAILABLE_TEXT,
  NOT_ALLOWED_TEXT,
  WRONG_CREDENTIALS_TEXT,
} from '../../../src/web/routes/auth/login.tsx';
import { createCookieJar } from '../../helpers/cookie-jar.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { addUser, getPage, postForm, signIn } from '../../helpers/sign-in.ts';
import {
  ADMIN_GROUP,
  BASE_DN,
  BIND_DN,
  BIND_PASSWORD,
  CONTRACTOR_GROUP,
  freePort,
  PEOPLE,
  PEOPLE_DN,
  STAFF_GROUP,
  startTestDirectory,
  type TestDirectory,
} from '../../helpers/slapd.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

// Argon2id hashing, MariaDB and slapd are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const ADMIN_PASSWORD = 'local admin password';

let slapd: TestDirectory;
beforeAll(async () => {
  slapd = await startTestDirectory();
});
afterAll(async () => slapd?.stop());

/** Upstream's example block (doc/examples/config-ldap.json), pointed at the test directory. */
function upstreamBlock(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SERVER_URI: slapd.url,
    BIND_DN,
    BIND_PASSWORD,
    USER_SEARCH: { USER_FIELD: 'uid', SEARCH: PEOPLE_DN },
    GROUP_SEARCH: BASE_DN,
    REQUIRE_GROUP: [STAFF_GROUP, CONTRACTOR_GROUP],
    CACHE_GROUPS: true,
    CACHE_TIMEOUT: 0,
    FIND_GROUP_PERMS: true,
    USER_ATTR_MAP: { username: 'cn', email: 'mail' },
    USER_FLAGS_BY_GROUP: {
      is_active: [STAFF_GROUP, CONTRACTOR_GROUP],
      is_staff: [STAFF_GROUP, ADMIN_GROUP],
      is_superuser: ADMIN_GROUP,
    },
    ...overrides,
  };
}

async function appWith(kind: (typeof DIALECTS)[number], ldap: Record<string, unknown>, extra = {}) {
  const t = await createTestApp({ kind, config: { REQUIRE_LOGIN: true, LDAP: ldap, ...extra } });
  await addUser(t.database, 'admin', ADMIN_PASSWORD, { isSuperuser: true });
  return t;
}

const hasSession = (response: Response) =>
  response.headers
    .getSetCookie()
    .some((line) => line.startsWith('debmonitor_session=') && !line.includes('Max-Age=0'));

/** Every password of the directory, and the service account's. */
const SECRETS = [...Object.values(PEOPLE).map((person) => person.password), BIND_PASSWORD];

async function clearFailures(t: TestApp): Promise<void> {
  await t.database.transaction(async (tx) => {
    await tx.db.delete(t.database.tables.loginFailures);
  });
}

for (const kind of DIALECTS) {
  describe(`upstream's example block (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith(kind, upstreamBlock());
    });
    afterAll(async () => t?.drop());
    beforeEach(() => clearFailures(t));

    describe('accounts from the directory', () => {
      test('a member of the admin group signs in, named by cn, superuser, without a local password', async () => {
        const { response, jar } = await signIn(t.request, 'ann', PEOPLE.ann.password, {
          next: '/admin/users',
        });
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toBe('/admin/users');
        const account = await findUserByName(t.database, 'Ann Admin');
        expect(account).toMatchObject({ isSuperuser: true, isActive: true, passwordHash: null });
        const page = await getPage(t.request, jar, '/admin/users');
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Signed in as <strong>Ann Admin</strong>');
      });

      test('a staff member is an ordinary user: the users page is refused', async () => {
        const { response, jar } = await signIn(t.request, 'bob', PEOPLE.bob.password);
        expect(response.status).toBe(302);
        expect(await findUserByName(t.database, 'Bob Staff')).toMatchObject({
          isSuperuser: false,
          isActive: true,
        });
        expect((await getPage(t.request, jar, '/hosts/')).status).toBe(200);
        expect((await getPage(t.request, jar, '/admin/users')).status).toBe(403);
      });

      test('any group of REQUIRE_GROUP will do', async () => {
        expect((await signIn(t.request, 'carl', PEOPLE.carl.password)).response.status).toBe(302);
      });

      test('signing in again updates the account rather than making another', async () => {
        await signIn(t.request, 'bob', PEOPLE.bob.password);
        await signIn(t.request, 'BOB', PEOPLE.bob.password);
        const names = (await t.database.db.select().from(t.database.tables.users)).map((row) => row.username);
        expect(names.filter((name) => name.startsWith('Bob'))).toEqual(['Bob Staff']);
      });

      test('the superuser flag follows the admin group at each sign-in', async () => {
        await slapd.addMember(ADMIN_GROUP, 'bob');
        try {
          await signIn(t.request, 'bob', PEOPLE.bob.password);
          expect((await findUserByName(t.database, 'Bob Staff'))?.isSuperuser).toBe(true);
        } finally {
          await slapd.removeMember(ADMIN_GROUP, 'bob');
        }
        await signIn(t.request, 'bob', PEOPLE.bob.password);
        expect((await findUserByName(t.database, 'Bob Staff'))?.isSuperuser).toBe(false);
      });

      test('a uid holding filter characters signs in as itself', async () => {
        await slapd.addMember(STAFF_GROUP, 'star*');
        try {
          expect((await signIn(t.request, 'star*', PEOPLE.star.password)).response.status).toBe(302);
          expect(await findUserByName(t.database, 'Star User')).not.toBeNull();
        } finally {
          await slapd.removeMember(STAFF_GROUP, 'star*');
        }
      });
    });

    describe('groups keep people out', () => {
      test('a user in no required group is told so, gets no session and no account', async () => {
        const { response } = await signIn(t.request, 'dora', PEOPLE.dora.password);
        expect(response.status).toBe(403);
        expect(await response.text()).toContain(NOT_ALLOWED_TEXT);
        expect(hasSession(response)).toBe(false);
        expect(await findUserByName(t.database, 'Dora Nogroup')).toBeNull();
        expect(t.log.lines.at(-1)).toContain('not in any group of LDAP.REQUIRE_GROUP');
      });

      test('a user who left the required groups is refused, and their other sessions end', async () => {
        const first = await signIn(t.request, 'carl', PEOPLE.carl.password);
        expect((await getPage(t.request, first.jar, '/hosts/')).status).toBe(200);
        await slapd.removeMember(CONTRACTOR_GROUP, 'carl');
        try {
          const { response } = await signIn(t.request, 'carl', PEOPLE.carl.password);
          expect(response.status).toBe(403);
          expect(await response.text()).toContain(NOT_ALLOWED_TEXT);
          const page = await getPage(t.request, first.jar, '/hosts/');
          expect(page.status).toBe(302);
          expect(page.headers.get('Location')).toStartWith('/login/');
        } finally {
          await slapd.addMember(CONTRACTOR_GROUP, 'carl');
        }
        expect((await signIn(t.request, 'carl', PEOPLE.carl.password)).response.status).toBe(302);
      });
    });

    describe('refusals', () => {
      test('a wrong password and an unknown user get the local form error', async () => {
        for (const [username, password] of [
          ['ann', 'wrong password'],
          ['nobody', 'whatever'],
        ]) {
          const { response } = await signIn(t.request, username ?? '', password ?? '');
          expect(response.status).toBe(200);
          expect(await response.text()).toContain(WRONG_CREDENTIALS_TEXT);
          expect(hasSession(response)).toBe(false);
        }
      });

      const injections = [
        '*',
        'a*',
        ')(uid=*',
        '*)(uid=*',
        'ann)(uid=*',
        'ann)(|(uid=*',
        'ann\0',
        'ann\0)(uid=*',
      ];
      for (const attack of injections) {
        test(`the username ${JSON.stringify(attack)} with ann's password finds nobody`, async () => {
          const before = (await t.database.db.select().from(t.database.tables.users)).length;
          const { response } = await signIn(t.request, attack, PEOPLE.ann.password);
          expect(response.status).toBe(200);
          expect(await response.text()).toContain(WRONG_CREDENTIALS_TEXT);
          expect(hasSession(response)).toBe(false);
          expect((await t.database.db.select().from(t.database.tables.users)).length).toBe(before);
          expect(t.log.lines.at(-1)).toContain('(LDAP: no such LDAP user)');
        });
      }

      test('an empty password is refused without asking the directory for an unauthenticated bind', async () => {
        const jar = createCookieJar();
        await getPage(t.request, jar, '/login/');
        const form = await (await getPage(t.request, jar, '/login/')).text();
        const token = /name="csrf_token" value="([^"]+)"/.exec(form)?.[1] ?? '';
        const response = await postForm(t.request, jar, '/login/', {
          csrf_token: token,
          username: 'ann',
          password: '',
        });
        expect(response.status).toBe(200);
        expect(hasSession(response)).toBe(false);
      });

      test(`after ${ACCOUNT_FAILURE_LIMIT} failures a directory name is locked, even for the right password`, async () => {
        for (let attempt = 0; attempt < ACCOUNT_FAILURE_LIMIT; attempt += 1) {
          expect((await signIn(t.request, 'bob', `wrong ${attempt}`)).response.status).toBe(200);
        }
        const { response } = await signIn(t.request, 'bob', PEOPLE.bob.password);
        expect(response.status).toBe(429);
        expect(await response.text()).toContain(THROTTLED_TEXT);
      });

      test('a sign-in without the CSRF token is refused before the directory is asked', async () => {
        const jar = createCookieJar();
        await getPage(t.request, jar, '/login/');
        const lines = t.log.lines.length;
        const response = await postForm(t.request, jar, '/login/', {
          username: 'ann',
          password: PEOPLE.ann.password,
        });
        expect(response.status).toBe(403);
        expect(await response.text()).toBe(CSRF_FAILURE_TEXT);
        expect(t.log.lines.slice(lines).join('\n')).not.toContain('ann');
      });
    });

    describe('local accounts beside the directory', () => {
      test('the local admin signs in with its own password', async () => {
        expect((await signIn(t.request, 'admin', ADMIN_PASSWORD)).response.status).toBe(302);
      });

      test('a local password is never checked against the directory', async () => {
        await addUser(t.database, 'dora', 'local dora password');
        expect((await signIn(t.request, 'dora', PEOPLE.dora.password)).response.status).toBe(200);
        expect((await signIn(t.request, 'dora', 'local dora password')).response.status).toBe(302);
      });

      test('a directory user whose account name is a local account with a password is refused', async () => {
        await addUser(t.database, 'Paren User', 'local paren password');
        await slapd.addMember(STAFF_GROUP, 'par(en)');
        try {
          const { response } = await signIn(t.request, 'par(en)', PEOPLE.paren.password);
          expect(response.status).toBe(200);
          expect(await response.text()).toContain(WRONG_CREDENTIALS_TEXT);
          expect(t.log.lines.at(-1)).toContain('names the local account "Paren User"');
          expect((await findUserByName(t.database, 'Paren User'))?.passwordHash).not.toBeNull();
        } finally {
          await slapd.removeMember(STAFF_GROUP, 'par(en)');
        }
      });

      test('an account disabled by hand stays disabled when is_active is not from groups', async () => {
        const t2 = await appWith(kind, upstreamBlock({ USER_FLAGS_BY_GROUP: {} }));
        try {
          expect((await signIn(t2.request, 'bob', PEOPLE.bob.password)).response.status).toBe(302);
          const account = await findUserByName(t2.database, 'Bob Staff');
          await setUserActive(t2.database, account?.id ?? 0, false);
          const { response } = await signIn(t2.request, 'bob', PEOPLE.bob.password);
          expect(response.status).toBe(403);
          expect(t2.log.lines.at(-1)).toContain('the account "Bob Staff" is disabled');
        } finally {
          await t2.drop();
        }
      });
    });

    test('no password of the directory ever reaches the log', () => {
      const log = t.log.lines.join('\n');
      for (const secret of [...SECRETS, ADMIN_PASSWORD]) expect(log).not.toContain(secret);
    });
  });

  describe(`open sessions follow the directory (${kind})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      // Groups are asked again at most once a second (CACHE_TIMEOUT, in seconds).
      t = await appWith(kind, upstreamBlock({ CACHE_TIMEOUT: 1 }));
    });
    afterAll(async () => t?.drop());
    /** Past the interval without waiting for it: the clock is set 1.1 s on (and stopped there). */
    const passTheInterval = () => setSystemTime(new Date(Date.now() + 1_100));
    afterEach(() => setSystemTime());

    test('a signed-in user who leaves the required groups is signed out at the next check, without signing in again', async () => {
      const { jar } = await signIn(t.request, 'carl', PEOPLE.carl.password);
      expect((await getPage(t.request, jar, '/hosts/')).status).toBe(200);
      await slapd.removeMember(CONTRACTOR_GROUP, 'carl');
      try {
        // Past the interval, the next request asks the directory and ends the session.
        passTheInterval();
        const page = await getPage(t.request, jar, '/hosts/');
        expect(page.status).toBe(302);
        expect(page.headers.get('Location')).toStartWith('/login/');
        expect(t.log.lines.some((line) => line.includes('Ended every session of'))).toBe(true);
      } finally {
        await slapd.addMember(CONTRACTOR_GROUP, 'carl');
      }
    });

    test('the local admin is never asked about, and a member stays signed in across checks', async () => {
      const admin = await signIn(t.request, 'admin', ADMIN_PASSWORD);
      const ann = await signIn(t.request, 'ann', PEOPLE.ann.password);
      passTheInterval();
      expect((await getPage(t.request, admin.jar, '/hosts/')).status).toBe(200);
      expect((await getPage(t.request, ann.jar, '/hosts/')).status).toBe(200);
    });
  });

  describe(`other keys (${kind})`, () => {
    test('ldaps:// with the CA of GLOBAL_OPTIONS; without USER_ATTR_MAP the account is the uid', async () => {
      const t = await appWith(
        kind,
        upstreamBlock({
          SERVER_URI: slapd.ldapsUrl,
          GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: slapd.caFile },
          USER_ATTR_MAP: {},
        }),
      );
      try {
        expect((await signIn(t.request, 'ann', PEOPLE.ann.password)).response.status).toBe(302);
        expect(await findUserByName(t.database, 'ann')).toMatchObject({ isSuperuser: true });
      } finally {
        await t.drop();
      }
    });

    test('START_TLS, DENY_GROUP, is_active from a group, and groups compared without GROUP_SEARCH', async () => {
      const t = await appWith(kind, {
        SERVER_URI: slapd.url,
        START_TLS: true,
        GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: slapd.caFile },
        BIND_DN,
        BIND_PASSWORD,
        USER_SEARCH: { USER_FIELD: 'uid', SEARCH: PEOPLE_DN },
        DENY_GROUP: CONTRACTOR_GROUP,
        USER_FLAGS_BY_GROUP: { is_active: STAFF_GROUP },
      });
      try {
        expect((await signIn(t.request, 'bob', PEOPLE.bob.password)).response.status).toBe(302);
        // DENY_GROUP keeps carl out.
        expect((await signIn(t.request, 'carl', PEOPLE.carl.password)).response.status).toBe(403);
        // Outside the is_active groups, dora gets a disabled account and no session.
        const dora = await signIn(t.request, 'dora', PEOPLE.dora.password);
        expect(dora.response.status).toBe(403);
        expect(await findUserByName(t.database, 'dora')).toMatchObject({ isActive: false });
        // Leaving the is_active groups disables the account and ends its sessions.
        const { jar } = await signIn(t.request, 'bob', PEOPLE.bob.password);
        await slapd.removeMember(STAFF_GROUP, 'bob');
        try {
          expect((await signIn(t.request, 'bob', PEOPLE.bob.password)).response.status).toBe(403);
          expect((await getPage(t.request, jar, '/hosts/')).status).toBe(302);
          expect(await findUserByName(t.database, 'bob')).toMatchObject({ isActive: false });
        } finally {
          await slapd.addMember(STAFF_GROUP, 'bob');
        }
        expect((await signIn(t.request, 'bob', PEOPLE.bob.password)).response.status).toBe(302);
      } finally {
        await t.drop();
      }
    });

    test('NO_NEW_USERS lets in existing accounts only; ALWAYS_UPDATE_USER false keeps their flags', async () => {
      const t = await appWith(kind, upstreamBlock({ NO_NEW_USERS: true, ALWAYS_UPDATE_USER: false }));
      try {
        expect((await signIn(t.request, 'ann', PEOPLE.ann.password)).response.status).toBe(200);
        expect(t.log.lines.at(-1)).toContain('LDAP.NO_NEW_USERS');
        expect(await findUserByName(t.database, 'Ann Admin')).toBeNull();
        await t.database.transaction(async (tx) => {
          await tx.db.insert(t.database.tables.users).values({
            username: 'Ann Admin',
            passwordHash: null,
            isSuperuser: false,
            isActive: true,
            created: new Date(),
          });
        });
        expect((await signIn(t.request, 'ann', PEOPLE.ann.password)).response.status).toBe(302);
        expect((await findUserByName(t.database, 'Ann Admin'))?.isSuperuser).toBe(false);
      } finally {
        await t.drop();
      }
    });
  });

  describe(`an unusable directory (${kind})`, () => {
    test('the server down: a clear message, one log line each time, nothing counted; local accounts still sign in', async () => {
      const t = await appWith(kind, upstreamBlock({ SERVER_URI: `ldap://127.0.0.1:${await freePort()}` }));
      try {
        for (let attempt = 0; attempt <= ACCOUNT_FAILURE_LIMIT + 1; attempt += 1) {
          const lines = t.log.lines.length;
          const { response } = await signIn(t.request, 'ann', PEOPLE.ann.password);
          expect(response.status).toBe(503);
          expect(await response.text()).toContain(LDAP_UNAVAILABLE_TEXT);
          const logged = t.log.lines.slice(lines);
          expect(logged).toEqual([
            expect.stringMatching(/^ERROR LDAP sign-in unavailable for "ann" .*ECONNREFUSED/),
          ]);
        }
        expect((await signIn(t.request, 'admin', ADMIN_PASSWORD)).response.status).toBe(302);
      } finally {
        await t.drop();
      }
    });

    test('a wrong service password: the same message, the log names BIND_DN and no password', async () => {
      const t = await appWith(kind, upstreamBlock({ BIND_PASSWORD: 'not the bind password' }));
      try {
        const { response } = await signIn(t.request, 'ann', PEOPLE.ann.password);
        expect(response.status).toBe(503);
        expect(await response.text()).toContain(LDAP_UNAVAILABLE_TEXT);
        const line = t.log.lines.at(-1) ?? '';
        expect(line).toContain(`the LDAP server refused LDAP.BIND_DN ${BIND_DN}`);
        expect(line).not.toContain('not the bind password');
        expect(line).not.toContain(PEOPLE.ann.password);
        expect((await signIn(t.request, 'admin', ADMIN_PASSWORD)).response.status).toBe(302);
      } finally {
        await t.drop();
      }
    });
  });

  test(`with CAS and LDAP both configured, CAS wins, as upstream (${kind})`, async () => {
    const t = await appWith(kind, upstreamBlock(), {
      CAS: { CAS_SERVER_URL: 'https://cas.example.org/cas' },
    });
    try {
      const start = await t.request('/login/');
      expect(start.status).toBe(302);
      expect(start.headers.get('Location')).toStartWith('https://cas.example.org/cas/login?');
      const post = await t.request('/login/', { method: 'POST' });
      expect(post.status).toBe(405);
    } finally {
      await t.drop();
    }
  });
}
