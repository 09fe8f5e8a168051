/** The superusers' users page, on both dialects. */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { createUser, findUserByName } from '../../../src/store/accounts/users.ts';
import type { CookieJar } from '../../helpers/cookie-jar.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { MALFORMED_IDS } from '../../helpers/malformed-ids.ts';
import { addUser, getPage, postForm, readCsrfField, signIn } from '../../helpers/sign-in.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

// Argon2id hashing, MariaDB and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const PASSWORD = 'correct horse battery';

for (const kind of DIALECTS) {
  describe(`/admin/users (${kind})`, () => {
    let t: TestApp;
    let admin: CookieJar;
    let token: string;
    beforeAll(async () => {
      t = await createTestApp({ kind, config: { REQUIRE_LOGIN: true } });
      await addUser(t.database, 'root', PASSWORD, { isSuperuser: true });
      await addUser(t.database, 'alice', PASSWORD);
      admin = (await signIn(t.request, 'root', PASSWORD)).jar;
      token = readCsrfField(await (await getPage(t.request, admin, '/admin/users')).text());
    });
    afterAll(async () => t?.drop());

    test('lists the accounts to a superuser, names escaped', async () => {
      await createUser(t.database, { username: 'cas<b>user', passwordHash: null });
      const response = await getPage(t.request, admin, '/admin/users');
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<td data-label="Username">alice</td>');
      expect(html).toContain('<td data-label="Username">root</td>');
      expect(html).toContain('cas&lt;b&gt;user');
      expect(html).not.toContain('cas<b>user');
    });

    test('a user who is not a superuser gets 403', async () => {
      const { jar } = await signIn(t.request, 'alice', PASSWORD);
      const response = await getPage(t.request, jar, '/admin/users');
      expect(response.status).toBe(403);
      expect(await response.text()).toContain(
        'Only superusers may manage users and create enrollment tokens.',
      );
      const post = await postForm(t.request, jar, '/admin/users', {
        username: 'mallory',
        password: PASSWORD,
      });
      expect(post.status).toBe(403);
      expect(await findUserByName(t.database, 'mallory')).toBeNull();
    });

    test('creates an account that can then sign in', async () => {
      const response = await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'bob',
        password: PASSWORD,
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('Location')).toBe('/admin/users?notice=created&user=bob');
      const page = await getPage(t.request, admin, response.headers.get('Location') ?? '');
      expect(await page.text()).toContain('User bob created.');
      expect((await signIn(t.request, 'bob', PASSWORD)).response.status).toBe(302);
      expect((await findUserByName(t.database, 'bob'))?.isSuperuser).toBe(false);
    });

    test('creates a superuser when asked', async () => {
      await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'carol',
        password: PASSWORD,
        superuser: '1',
      });
      expect((await findUserByName(t.database, 'carol'))?.isSuperuser).toBe(true);
    });

    test('refuses a weak password, a bad name and a taken name with 400', async () => {
      const weak = await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'dan',
        password: '12345678',
      });
      expect(weak.status).toBe(400);
      expect(await weak.text()).toContain('The password must not be entirely numeric.');
      const common = await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'dan',
        password: 'iloveyou1',
      });
      expect(common.status).toBe(400);
      expect(await common.text()).toContain(
        'The password is too easy to guess. This is a commonly used password.',
      );
      const badName = await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'a b',
        password: PASSWORD,
      });
      expect(badName.status).toBe(400);
      const taken = await postForm(t.request, admin, '/admin/users', {
        csrf_token: token,
        username: 'alice',
        password: PASSWORD,
      });
      expect(taken.status).toBe(400);
      expect(await taken.text()).toContain('already exists');
      expect(await findUserByName(t.database, 'dan')).toBeNull();
    });

    test('refuses a form without the CSRF token', async () => {
      const response = await postForm(t.request, admin, '/admin/users', {
        username: 'eve',
        password: PASSWORD,
      });
      expect(response.status).toBe(403);
      expect(await findUserByName(t.database, 'eve')).toBeNull();
    });

    test("resets a password and ends that user's sessions", async () => {
      const id = await addUser(t.database, 'frank', PASSWORD);
      const { jar } = await signIn(t.request, 'frank', PASSWORD);
      const response = await postForm(t.request, admin, `/admin/users/${id}/password`, {
        csrf_token: token,
        password: 'a new long secret',
      });
      expect(response.status).toBe(303);
      expect((await getPage(t.request, jar, '/hosts/')).status).toBe(302);
      expect((await signIn(t.request, 'frank', PASSWORD)).response.status).toBe(200);
      expect((await signIn(t.request, 'frank', 'a new long secret')).response.status).toBe(302);
    });

    test('a superuser changing their own password stays signed in', async () => {
      const root = await findUserByName(t.database, 'root');
      const response = await postForm(t.request, admin, `/admin/users/${root?.id}/password`, {
        csrf_token: token,
        password: PASSWORD,
      });
      expect(response.status).toBe(303);
      expect((await getPage(t.request, admin, '/admin/users')).status).toBe(200);
    });

    test('disables and enables an account', async () => {
      const id = await addUser(t.database, 'gina', PASSWORD);
      const { jar } = await signIn(t.request, 'gina', PASSWORD);
      const disable = await postForm(t.request, admin, `/admin/users/${id}/active`, {
        csrf_token: token,
        active: '0',
      });
      expect(disable.status).toBe(303);
      expect((await getPage(t.request, jar, '/hosts/')).status).toBe(302);
      expect((await signIn(t.request, 'gina', PASSWORD)).response.status).toBe(200);
      await postForm(t.request, admin, `/admin/users/${id}/active`, { csrf_token: token, active: '1' });
      expect((await signIn(t.request, 'gina', PASSWORD)).response.status).toBe(302);
    });

    test('a superuser cannot disable their own account', async () => {
      const root = await findUserByName(t.database, 'root');
      const response = await postForm(t.request, admin, `/admin/users/${root?.id}/active`, {
        csrf_token: token,
        active: '0',
      });
      expect(response.status).toBe(400);
      expect((await findUserByName(t.database, 'root'))?.isActive).toBe(true);
    });

    test('an unknown account id is 404', async () => {
      const response = await postForm(t.request, admin, '/admin/users/999999/active', {
        csrf_token: token,
        active: '0',
      });
      expect(response.status).toBe(404);
    });

    test('a malformed account id is 404 and changes nothing', async () => {
      const id = await addUser(t.database, 'hugo', PASSWORD);
      for (const bad of [...MALFORMED_IDS, `0${id}`, `${id}.0`]) {
        for (const action of ['active', 'password']) {
          const path = `/admin/users/${encodeURIComponent(bad)}/${action}`;
          const fields = { csrf_token: token, active: '0', password: 'another good passphrase' };
          const response = await postForm(t.request, admin, path, fields);
          expect({ path, status: response.status }).toEqual({ path, status: 404 });
        }
      }
      expect((await findUserByName(t.database, 'hugo'))?.isActive).toBe(true);
      expect((await signIn(t.request, 'hugo', PASSWORD)).response.status).toBe(302);
    });
  });
}
