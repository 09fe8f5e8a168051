/**
 * The web interface in real Chromium, against a real server process on a SQLite file holding the
 * reference fixture plus 60 hosts (two pages). Every step is a click; with
 * DEBMONITOR_TEST_SCREENSHOTS=1, screenshots of the main pages go to test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { launchChromium, openWatchedPage, saveScreenshot } from '../helpers/chromium.ts';
import { addFleetHosts } from '../helpers/extra-rows.ts';
import { loadReferenceFixture } from '../helpers/reference-fixture.ts';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.ts';

const SCREENSHOTS = resolve(import.meta.dir, '../../test-artifacts/screenshots');

describe('the web interface in Chromium', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'debmonitor-browser-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const database = await openDatabase(url);
    await migrate(database);
    await loadReferenceFixture(database);
    await addFleetHosts(database, 60);
    await database.close();
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ DATABASE_URL: url, REQUIRE_LOGIN: false, VERIFY_CLIENTS: false }));
    server = await startServerProcess({ cwd: dir, args: ['--config', config] });
    browser = await launchChromium();
    page = await openWatchedPage(browser, 1280, problems);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shoot = (name: string) => saveScreenshot(page, join(SCREENSHOTS, `${name}.png`));
  const path = () => {
    const url = new URL(page.url());
    return `${url.pathname}${url.search}`;
  };
  const rowNames = () => page.locator('#list tbody td.name > a').allTextContents();

  test('dashboard, hosts, sort, page, filter, host, package, search — all by clicks', async () => {
    await page.goto(server.url);
    await expect(page.title()).resolves.toBe('DebMonitor - DebMonitor');
    expect(await page.locator('#card-hosts h3 .badge').first().textContent()).toContain('63');
    // htmx loaded from /static and configured from the meta tag.
    expect(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe('object');
    await shoot('dashboard');

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Hosts' }).click();
    await page.waitForURL('**/hosts/');
    expect(await page.locator('#list tbody tr').count()).toBe(50);
    await shoot('hosts');

    await page.locator('#list thead').getByRole('link', { name: 'Hostname' }).click();
    await page.waitForURL('**/hosts/?sort=name');
    await expect(rowNames()).resolves.toContain('fleet-000.example.org');
    expect((await rowNames())[0]).toBe('fleet-000.example.org');

    await page.getByRole('link', { name: 'Next ›' }).click();
    await page.waitForURL('**/hosts/?sort=name&page=2');
    await page.locator('.pager .position', { hasText: '51–63 of 63' }).waitFor();
    expect((await rowNames()).slice(-3)).toEqual([
      'host1.example.com',
      'host2.example.com',
      'host3.example.com',
    ]);

    await page.locator('#list-filter').selectOption('security');
    await page.waitForURL((url) => url.search.includes('filter=security'));
    await page.locator('.pager .position', { hasText: 'of 23' }).waitFor();
    expect(path()).toBe('/hosts/?filter=security&sort=name');
    const securityCells = await page.locator('#list tbody td[data-label="Security"]').allTextContents();
    expect(securityCells.every((cell) => Number(cell) > 0)).toBe(true);

    await page.getByRole('link', { name: 'fleet-000.example.org' }).click();
    await page.waitForURL('**/hosts/fleet-000.example.org');
    expect(await page.locator('#list tbody tr').first().textContent()).toContain('security');
    await page.goto(`${server.url}/hosts/host1.example.com`);
    await shoot('host-detail');

    await page.locator('#list tbody').getByRole('link', { name: 'package2' }).click();
    await page.waitForURL('**/packages/package2');
    await expect(page.title()).resolves.toBe('package2 - DebMonitor');
    expect(await page.locator('.summary').textContent()).toContain('Debian 11 versions');
    await shoot('package-detail');

    await page.locator('#site-search').fill('host1');
    await page.locator('#site-search').press('Enter');
    await page.waitForURL('**/search?q=host1');
    expect(await page.locator('#list tbody td a').allTextContents()).toEqual(['host1.example.com']);
    await shoot('search');

    expect(problems).toEqual([]);
  }, 60_000);

  test('the text filter narrows a list as one types, and Back restores the previous state', async () => {
    await page.goto(`${server.url}/packages/`);
    await page.locator('#list-q').fill('node');
    await page.waitForURL('**/packages/?q=node');
    await page.locator('#list tbody tr', { hasText: 'nodejs' }).waitFor();
    expect(await rowNames()).toEqual(['nodejs']);
    await page.goBack();
    await page.waitForURL('**/packages/');
    expect((await rowNames()).length).toBeGreaterThan(1);
    expect(problems).toEqual([]);
  }, 30_000);

  test('screenshots of the other pages, on a phone and in dark mode', async () => {
    for (const [name, url] of [
      ['packages', '/packages/'],
      ['source-packages', '/source-packages/'],
      ['kernels', '/kernels/'],
      ['images', '/images/'],
      ['image-detail', '/images/registry.example.com/component/image-name:1.2.3-1'],
      ['kubernetes', '/kubernetes/'],
    ] as const) {
      await page.goto(`${server.url}${url}`);
      await shoot(name);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/hosts/host1.example.com`);
    const cellWidth = await page
      .locator('#list tbody td')
      .first()
      .evaluate((cell) => cell.getBoundingClientRect().width);
    expect(cellWidth).toBeGreaterThan(300);
    await shoot('host-detail-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/hosts/`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(18, 21, 27)');
    await shoot('hosts-dark');
    expect(problems).toEqual([]);
    // Last, as it logs the expected 404 to the console.
    await page.goto(`${server.url}/nothing-here`);
    expect(await page.locator('main').textContent()).toContain('Page not found!');
    await shoot('not-found');
  }, 60_000);
});
