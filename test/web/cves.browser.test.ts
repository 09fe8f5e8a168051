/**
 * The CVE pages in real Chromium (docs/cve.md, "Pages"), against a real server process on a SQLite
 * file: two hosts reported through the store, the fixture feed imported, then dashboard → CVE list →
 * CVE → host, every step a click.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { parseHostReport } from '../../src/protocol/parse-host-report.ts';
import { importFeed } from '../../src/store/cve/import-feed.ts';
import { applyHostReport } from '../../src/store/ingest/host-reports.ts';
import { createStore } from '../../src/store/store.ts';
import { launchChromium, openWatchedPage } from '../helpers/chromium.ts';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.ts';

const FEED = join(import.meta.dir, '../fixtures/security-tracker/tracker-sample.json');

function hostReport(hostname: string, curl: string, kernel: string) {
  const parsed = parseHostReport({
    hostname,
    os: 'Debian 12',
    running_kernel: {
      release: '6.1.0-26-amd64',
      version: `#1 SMP PREEMPT_DYNAMIC Debian ${kernel} (2024-10-03)`,
    },
    update_type: 'full',
    installed: [{ name: 'curl', version: curl, source: 'curl', source_version: curl }],
    uninstalled: [],
    upgradable: [],
  });
  if (!parsed.success) throw new Error(`bad test report: ${JSON.stringify(parsed)}`);
  return parsed.output;
}

describe('the CVE pages in Chromium', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'debmonitor-cve-browser-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const database = await openDatabase(url);
    await migrate(database);
    const store = createStore(database);
    await applyHostReport(store, hostReport('web1.example.org', '7.88.1-10+deb12u5', '6.1.112-1'));
    await applyHostReport(store, hostReport('web2.example.org', '7.88.1-10+deb12u6', '6.1.119-1'));
    await importFeed(database, { from: FEED, userAgent: 'test' });
    await database.close();
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ DATABASE_URL: url, REQUIRE_LOGIN: false, VERIFY_CLIENTS: false }));
    server = await startServerProcess({ cwd: dir, args: ['--config', config] });
    browser = await launchChromium();
    page = await openWatchedPage(browser, 1280, problems);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('dashboard → CVE list → CVE → host, by clicks', async () => {
    await page.goto(server.url);
    const card = page.locator('#card-cves');
    // web1 has a fix available for CVE-2099-0001 (medium).
    expect(await card.locator('a.count').first().textContent()).toContain('1');
    await card.getByRole('link', { name: 'CVEs', exact: true }).click();
    await page.waitForURL('**/cves/');
    const listed = await page.locator('#list tbody td.name > a').allTextContents();
    expect(listed[0]).toBe('CVE-2099-0001');

    await page.locator('#list-filter').selectOption('fixable');
    await page.waitForURL((url) => url.search.includes('filter=fixable'));
    await page.locator('#list tbody tr').first().waitFor();
    // curl's fix (medium) first, then the running kernel's (urgency not yet assigned).
    expect(await page.locator('#list tbody td.name > a').allTextContents()).toEqual([
      'CVE-2099-0001',
      'CVE-2099-0008',
    ]);

    await page.getByRole('link', { name: 'CVE-2099-0001' }).first().click();
    await page.waitForURL('**/cves/CVE-2099-0001');
    expect(await page.locator('#cve-statuses').textContent()).toContain('bookworm');
    const hosts = await page.locator('#list tbody td.name > a').allTextContents();
    expect(hosts).toEqual(['web1.example.org']);

    await page.getByRole('link', { name: 'web1.example.org' }).click();
    await page.waitForURL('**/hosts/web1.example.org');
    expect(await page.locator('section.cves').textContent()).toContain('CVE-2099-0001');
    expect(problems).toEqual([]);
  }, 60_000);
});
