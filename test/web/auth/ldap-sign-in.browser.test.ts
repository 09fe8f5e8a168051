/**
 * LDAP sign-in in real Chromium, through the login form of a started server whose config.json has
 * upstream's example LDAP block pointed at a test slapd (over StartTLS): a directory superuser
 * lands on the page it asked for, and a user outside the required groups reads why on the form.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { NOT_ALLOWED_TEXT } from '../../../src/web/routes/auth/login.tsx';
import { launchChromium } from '../../helpers/chromium.ts';
import { type ServerProcess, startServerProcess } from '../../helpers/server-process.ts';
import {
  ADMIN_GROUP,
  BASE_DN,
  BIND_DN,
  BIND_PASSWORD,
  CONTRACTOR_GROUP,
  PEOPLE,
  PEOPLE_DN,
  STAFF_GROUP,
  startTestDirectory,
  type TestDirectory,
} from '../../helpers/slapd.ts';

// Argon2id hashing, slapd and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-ldap-browser-'));
let slapd: TestDirectory;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  slapd = await startTestDirectory();
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      SQLITE: { FILE: join(dir, 'debmonitor.sqlite') },
      LDAP: {
        SERVER_URI: slapd.url,
        START_TLS: true,
        GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: slapd.caFile },
        BIND_DN,
        BIND_PASSWORD,
        USER_SEARCH: { USER_FIELD: 'uid', SEARCH: PEOPLE_DN },
        GROUP_SEARCH: BASE_DN,
        REQUIRE_GROUP: [STAFF_GROUP, CONTRACTOR_GROUP],
        CACHE_GROUPS: true,
        CACHE_TIMEOUT: 900,
        USER_ATTR_MAP: { username: 'cn', email: 'mail' },
        USER_FLAGS_BY_GROUP: { is_active: [STAFF_GROUP, CONTRACTOR_GROUP], is_superuser: ADMIN_GROUP },
      },
    }),
  );
  server = await startServerProcess({ cwd: dir, args: ['--config', configFile] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await slapd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('LDAP sign-in in a browser', () => {
  test('the start warns by name about the example keys without effect', () => {
    expect(server.output()).toContain('LDAP.USER_ATTR_MAP.email is not stored');
  });

  test('a directory superuser goes through the form to the page asked for', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/admin/users`);
      expect(new URL(page.url()).pathname).toBe('/login/');
      await page.fill('input[name=username]', 'ann');
      await page.fill('input[name=password]', PEOPLE.ann.password);
      await Promise.all([page.waitForURL(`${server.url}/admin/users`), page.click('button[type=submit]')]);
      expect(await page.textContent('h2')).toContain('Users');
      expect(await page.textContent('.user-menu')).toContain('Ann Admin');
      expect(server.output()).toContain('Signed in: "Ann Admin"');
    } finally {
      await context.close();
    }
  }, 30_000);

  test('a user outside the required groups reads why on the form', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/login/`);
      await page.fill('input[name=username]', 'dora');
      await page.fill('input[name=password]', PEOPLE.dora.password);
      await page.click('button[type=submit]');
      await page.waitForSelector('.form-error');
      expect(await page.textContent('.form-error')).toContain(NOT_ALLOWED_TEXT);
      expect(new URL(page.url()).pathname).toBe('/login/');
      expect(server.output()).not.toContain(PEOPLE.dora.password);
    } finally {
      await page.close();
    }
  }, 30_000);
});
