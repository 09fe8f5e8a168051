/**
 * Importing the security tracker's feed, on both dialects, from a real HTTP server on 127.0.0.1 that
 * serves the fixture (never the real tracker): what is kept, If-Modified-Since, and every kind of bad
 * feed, which must leave the previous dataset whole.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'bun';
import { createMemoryLogger } from '../../../src/lib/logger.ts';
import { currentFeed } from '../../../src/store/cve/feed-dataset.ts';
import { refreshOnce } from '../../../src/store/cve/feed-refresh.ts';
import { FeedImportError, importFeed } from '../../../src/store/cve/import-feed.ts';
import { applyHostReport } from '../../../src/store/ingest/host-reports.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';

const FIXTURE = readFileSync(
  join(import.meta.dir, '../../fixtures/security-tracker/tracker-sample.json'),
  'utf8',
);
const LAST_MODIFIED = 'Mon, 07 Dec 2026 10:00:00 GMT';
const USER_AGENT = 'debmonitor-server/test (+https://example.org)';

/** What the local tracker answers next, and what it was asked. */
let answer: () => Response = () => new Response(FIXTURE);
const seen: { userAgent: string | null; ifModifiedSince: string | null }[] = [];
let server: Server<undefined>;
let url: string;

beforeAll(() => {
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request) {
      seen.push({
        userAgent: request.headers.get('User-Agent'),
        ifModifiedSince: request.headers.get('If-Modified-Since'),
      });
      // Only the fixture has that date: a changed answer is sent whatever the client holds.
      if (answer === fixtureAnswer && request.headers.get('If-Modified-Since') === LAST_MODIFIED)
        return new Response(null, { status: 304 });
      return answer();
    },
  });
  url = `http://127.0.0.1:${server.port}/tracker/data/json`;
});
afterAll(() => server.stop(true));

function fixtureAnswer(): Response {
  return new Response(FIXTURE, {
    headers: { 'Last-Modified': LAST_MODIFIED, 'Content-Type': 'application/json' },
  });
}

for (const kind of DIALECTS) {
  describe(`CVE feed import on ${kind}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await createTestDatabase(kind);
      await t.database.transaction((tx) =>
        tx.db
          .insert(t.database.tables.operatingSystems)
          .values([{ name: 'Debian 12' }, { name: 'Debian 11' }]),
      );
      answer = fixtureAnswer;
      seen.length = 0;
    });
    afterEach(async () => t?.drop());

    async function statusRows() {
      const { cvePackageStatus } = t.database.tables;
      return (await t.database.db.select().from(cvePackageStatus))
        .map((r) => `${r.codename} ${r.source} ${r.cve}`)
        .sort();
    }

    test('keeps the releases the fleet runs, with a User-Agent, and records Last-Modified', async () => {
      const outcome = await importFeed(t.database, { from: url, userAgent: USER_AGENT });
      expect(outcome).toMatchObject({
        kind: 'imported',
        releases: ['bookworm', 'bullseye'],
        statusRows: 10,
        cveCount: 10,
      });
      expect(seen[0]?.userAgent).toBe(USER_AGENT);
      const rows = await statusRows();
      expect(rows).toContain('bullseye chromium CVE-2099-0005');
      expect(rows).toContain('bookworm curl TEMP-0000000-ABCDEF');
      expect(rows.some((r) => r.startsWith('trixie') || r.startsWith('sid'))).toBe(false);
      const feed = await currentFeed(t.database);
      expect(feed?.feedTime.toISOString()).toBe(new Date(LAST_MODIFIED).toISOString());
      expect(feed?.releases).toEqual(['bookworm', 'bullseye']);

      const { cvePackageStatus, cveIssues } = t.database.tables;
      const curl = (await t.database.db.select().from(cvePackageStatus)).find(
        (r) => r.cve === 'CVE-2099-0001',
      );
      expect(curl).toMatchObject({
        status: 'resolved',
        fixedVersion: '7.88.1-10+deb12u6',
        archiveVersion: '7.88.1-10+deb12u7',
        unstableFixedVersion: '8.9.0-1',
        urgency: 'medium',
        nextPointUpdate: false,
      });
      const issue = (await t.database.db.select().from(cveIssues)).find((r) => r.cve === 'CVE-2099-0001');
      expect(issue).toMatchObject({ scope: 'remote', debianBug: 1000001 });
      const noDsa = (await t.database.db.select().from(cvePackageStatus)).find(
        (r) => r.cve === 'CVE-2099-0003',
      );
      expect(noDsa).toMatchObject({
        nodsa: 'Minor issue',
        nodsaReason: '',
        nextPointUpdate: true,
        urgency: 'low',
      });
    });

    test('an unchanged feed (304 to If-Modified-Since) keeps the dataset', async () => {
      await importFeed(t.database, { from: url, userAgent: USER_AGENT });
      const before = await currentFeed(t.database);
      expect(await importFeed(t.database, { from: url, userAgent: USER_AGENT })).toEqual({
        kind: 'not-modified',
      });
      expect(seen[1]?.ifModifiedSince).toBe(LAST_MODIFIED);
      expect((await currentFeed(t.database))?.id).toBe(before?.id as number);
    });

    test('a new feed replaces the previous one whole', async () => {
      await importFeed(t.database, { from: url, userAgent: USER_AGENT });
      const first = await currentFeed(t.database);
      answer = () => new Response(JSON.stringify({ curl: JSON.parse(FIXTURE).curl }));
      await importFeed(t.database, { from: url, userAgent: USER_AGENT, force: true });
      const second = await currentFeed(t.database);
      expect(second?.id).not.toBe(first?.id as number);
      expect((await statusRows()).every((r) => r.includes(' curl '))).toBe(true);
      expect(await t.database.db.select().from(t.database.tables.cveFeeds)).toHaveLength(1);
    });

    const bad: [string, () => Response, RegExp][] = [
      ['a truncated body', () => new Response(FIXTURE.slice(0, 2000)), /does not parse: cut short/],
      ['an HTML error page', () => new Response('<html><body>Service Unavailable</body></html>'), /HTML/],
      ['junk', () => new Response('garbage'), /does not parse/],
      [
        'wrong types',
        () => new Response('{"curl": {"CVE-1": {"releases": {"bookworm": {"status": 3}}}}}'),
        /status/,
      ],
      ['an empty object', () => new Response('{}'), /names no package/],
      ['an HTTP error', () => new Response('oops', { status: 503 }), /HTTP 503/],
    ];
    for (const [what, response, message] of bad)
      test(`${what} keeps the previous dataset and fails with one line`, async () => {
        await importFeed(t.database, { from: url, userAgent: USER_AGENT });
        const before = await currentFeed(t.database);
        const rows = await statusRows();
        answer = response;
        const error = await importFeed(t.database, { from: url, userAgent: USER_AGENT, force: true }).catch(
          (e) => e,
        );
        expect(error).toBeInstanceOf(FeedImportError);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain('\n');
        expect(await currentFeed(t.database)).toEqual(before);
        expect(await statusRows()).toEqual(rows);
        expect(await t.database.db.select().from(t.database.tables.cveFeeds)).toHaveLength(1);
      });

    test('a download that stalls or breaks off keeps the previous dataset', async () => {
      await importFeed(t.database, { from: url, userAgent: USER_AGENT });
      const before = await currentFeed(t.database);
      const half = FIXTURE.slice(0, 1500);
      answer = () =>
        new Response(
          new ReadableStream({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode(half));
              await Bun.sleep(1500);
              controller.close();
            },
          }),
        );
      const stalled = await importFeed(t.database, {
        from: url,
        userAgent: USER_AGENT,
        force: true,
        timeoutMs: 300,
      }).catch((e) => e);
      expect(stalled).toBeInstanceOf(FeedImportError);
      expect(stalled.message).toMatch(/no data for 0.3 s/);
      answer = () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(half));
              controller.error(new Error('connection reset'));
            },
          }),
        );
      const broken = await importFeed(t.database, { from: url, userAgent: USER_AGENT, force: true }).catch(
        (e) => e,
      );
      expect(broken).toBeInstanceOf(FeedImportError);
      expect(await currentFeed(t.database)).toEqual(before);
      expect(await t.database.db.select().from(t.database.tables.cveFeeds)).toHaveLength(1);
    });

    test('reports keep arriving while a feed is swapped', async () => {
      await importFeed(t.database, { from: url, userAgent: USER_AGENT });
      const report = (n: number) =>
        applyHostReport(t.store, {
          hostname: `h${n}.example.org`,
          os: 'Debian 12',
          running_kernel: { version: '#1 SMP Debian 6.1.112-1' },
          update_type: 'full',
          installed: [{ name: 'curl', version: `7.88.1-10+deb12u${n % 8}`, source: 'curl' }],
          uninstalled: [],
          upgradable: [],
        });
      const [outcome] = await Promise.all([
        importFeed(t.database, { from: url, userAgent: USER_AGENT, force: true }),
        ...Array.from({ length: 20 }, (_, n) => report(n)),
      ]);
      expect(outcome).toMatchObject({ kind: 'imported', statusRows: 10 });
      expect(await statusRows()).toHaveLength(10);
      expect(await t.database.db.select().from(t.database.tables.hosts)).toHaveLength(20);
    });

    test('a refused connection fails with one line', async () => {
      const error = await importFeed(t.database, {
        from: 'http://127.0.0.1:1/json',
        userAgent: USER_AGENT,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(FeedImportError);
      expect(await currentFeed(t.database)).toBeNull();
    });

    test('the refresh in serve imports, skips a recent import, and logs a failure as one line', async () => {
      const log = createMemoryLogger();
      const options = { from: url, userAgent: USER_AGENT, intervalHours: 1, log };
      await refreshOnce(t.database, options, 3600_000);
      expect(log.lines).toEqual([
        expect.stringMatching(/^INFO CVE feed: imported 10 rows \(10 CVEs; bookworm, bullseye\)/),
      ]);
      await refreshOnce(t.database, options, 3600_000);
      expect(seen).toHaveLength(1);
      const before = await currentFeed(t.database);
      answer = () => new Response('<html>down</html>', { status: 200 });
      await refreshOnce(t.database, options, 0);
      expect(log.lines[1]).toMatch(/^WARN CVE feed: import failed, keeping the previous dataset: /);
      expect(await currentFeed(t.database)).toMatchObject({ id: before?.id as number });
    });

    test('reads a local file (air-gapped sites)', async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'cve-feed-')), 'json');
      writeFileSync(path, FIXTURE);
      const outcome = await importFeed(t.database, { from: path, userAgent: USER_AGENT });
      expect(outcome).toMatchObject({ kind: 'imported', statusRows: 10 });
      expect(await importFeed(t.database, { from: path, userAgent: USER_AGENT })).toEqual({
        kind: 'not-modified',
      });
    });
  });
}
