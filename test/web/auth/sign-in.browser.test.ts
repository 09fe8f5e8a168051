/**
 * Signing in through the form in real Chromium, against a started server: the first start's
 * admin password from the log, the redirect to the sign-in page, the form, and back to `next`.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.ts';
import { type ServerProcess, startServerProcess } from '../../helpers/server-process.ts';

// Argon2id hashing, MariaDB and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-browser-'));
let server: ServerProcess;
let browser: Browser;
let adminPassword = '';

beforeAll(async () => {
  server = await startServerProcess({ cwd: dir, args: [] });
  adminPassword = /Created the superuser 'admin' with the password (\S+) /.exec(server.output())?.[1] ?? '';
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('sign-in in a browser', () => {
  test('the first start prints a password for admin', () => {
    expect(adminPassword.length).toBeGreaterThanOrEqual(16);
  });

  test('a wrong password shows the form again with an error', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/login/`);
      await page.fill('input[name=username]', 'admin');
      await page.fill('input[name=password]', 'not the password');
      await page.click('button[type=submit]');
      await page.waitForSelector('.form-error');
      expect(await page.textContent('.form-error')).toContain('Please enter a correct username and password');
      expect(new URL(page.url()).pathname).toBe('/login/');
    } finally {
      await page.close();
    }
  }, 30_000);

  test('an anonymous visit goes through the form and lands on the page it asked for', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/admin/users?sort=name`);
      expect(page.url()).toBe(`${server.url}/login/?next=/admin/users%3Fsort%3Dname`);
      await page.fill('input[name=username]', 'admin');
      await page.fill('input[name=password]', adminPassword);
      await Promise.all([
        page.waitForURL(`${server.url}/admin/users?sort=name`),
        page.click('button[type=submit]'),
      ]);
      expect(await page.textContent('h2')).toContain('Users');
      expect(await page.textContent('.user-menu')).toContain('admin');
      const cookies = await context.cookies();
      const session = cookies.find((cookie) => cookie.name === 'debmonitor_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Lax');

      await Promise.all([
        page.waitForURL(`${server.url}/login/`),
        page.click('.user-menu button[type=submit]'),
      ]);
      await page.goto(`${server.url}/admin/users`);
      expect(new URL(page.url()).pathname).toBe('/login/');
    } finally {
      await context.close();
    }
  }, 30_000);
});

describe('restart', () => {
  test('a second start prints no password and the admin account remains', async () => {
    await server.stop();
    server = await startServerProcess({ cwd: dir, args: [] });
    expect(server.output()).not.toContain('Created the superuser');
    const form = await fetch(`${server.url}/login/`);
    const cookie = form.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const token = /name="csrf_token" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const response = await fetch(`${server.url}/login/`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: token, username: 'admin', password: adminPassword }),
    });
    expect(response.status).toBe(302);
  }, 30_000);
});
