/**
 * The CVE section of host and image pages, end to end on both dialects: reports through the agent
 * API, the fixture feed imported from a file, the page read back (docs/cve.md).
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { sqlNames } from '../../../src/db/sql-names.ts';
import { importFeed } from '../../../src/store/cve/import-feed.ts';
import { readOwnerCves } from '../../../src/store/read/owner-cves.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const FEED = join(import.meta.dir, '../../fixtures/security-tracker/tracker-sample.json');

const BOOKWORM_HOST = {
  hostname: 'web1.example.org',
  os: 'Debian 12',
  running_kernel: {
    release: '6.1.0-26-amd64',
    version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-10-03)',
  },
  update_type: 'full',
  installed: [
    { name: 'curl', version: '7.88.1-10+deb12u5', source: 'curl', source_version: '7.88.1-10+deb12u5' },
    { name: 'libcap2', version: '2.66-9', source: 'libcap2' },
    { name: 'libpam0g', version: '1.5.2-6+deb12u1', source: 'pam', source_version: '1.5.2-6+deb12u1' },
    {
      name: 'linux-image-6.1.0-26-amd64',
      version: '6.1.112-1',
      source: 'linux-signed-amd64',
      source_version: '6.1.112+1',
    },
    {
      name: 'linux-image-6.1.0-28-amd64',
      version: '6.1.119-1',
      source: 'linux-signed-amd64',
      source_version: '6.1.119+1',
    },
    { name: 'openssl', version: '3.0.15-1~deb12u1', source: 'openssl', source_version: '3.0.15-1~deb12u1' },
    { name: 'hello', version: '2.10-3', source: 'hello' },
  ],
  upgradable: [
    {
      name: 'curl',
      version_from: '7.88.1-10+deb12u5',
      version_to: '7.88.1-10+deb12u7',
      source: 'curl',
      type: 'security',
    },
  ],
};

for (const kind of DIALECTS) {
  describe(`CVEs on host and image pages on ${kind}`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp({ kind });
    });
    afterEach(async () => t?.drop());

    async function report(path: string, body: unknown) {
      const response = await t.request(path, { method: 'POST', body: JSON.stringify(body) });
      expect(response.status).toBe(201);
    }

    async function page(path: string): Promise<string> {
      const response = await t.request(path);
      expect(response.status).toBe(200);
      return response.text();
    }

    /** Changes stored rows behind the store's back (SQLite writes go through its one writer). */
    async function write(text: string) {
      await t.database.transaction(async (tx) => {
        await tx.sql.run(text, []);
      });
    }

    /** The CVE table's rows as `cve | source | installed | state | fixed | urgency`. */
    function cveRows(html: string): string[] {
      const section = html.slice(html.indexOf('<section class="cves"'), html.indexOf('</section>'));
      return [...section.matchAll(/<tr data-cve-state="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) =>
        [...(m[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)]
          .map((cell) => (cell[1] ?? '').replace(/<[^>]+>/g, '').trim())
          .join(' | '),
      );
    }

    test('before any import, the host page says there is no data', async () => {
      await report('/hosts/web1.example.org/update', BOOKWORM_HOST);
      expect(await page('/hosts/web1.example.org')).toContain('No security tracker data imported yet');
    });

    test('a bookworm host lists its findings, vulnerable first, with fixes and pending upgrades', async () => {
      await report('/hosts/web1.example.org/update', BOOKWORM_HOST);
      await importFeed(t.database, { from: FEED, userAgent: 'test' });
      const html = await page('/hosts/web1.example.org');
      expect(cveRows(html)).toEqual([
        'CVE-2099-0001 | curl | 7.88.1-10+deb12u5 | vulnerable, fix available | 7.88.1-10+deb12u6 (pending upgrade fixes it) | medium',
        // libcap2 reported without a source version: the binary version is the source version.
        'CVE-2099-0006 | libcap2 | 2.66-9 | vulnerable, fix available | 1:2.66-4 | low',
        // The running kernel counts, as linux; the installed 6.1.119 kernel fixes it once booted.
        'CVE-2099-0008 | linux | 6.1.112-1 | vulnerable, fix available | 6.1.115-1 (a newer kernel fixes it after a reboot) | not yet assigned',
        'CVE-2099-0004 | curl | 7.88.1-10+deb12u5 | vulnerable, postponed (Revisit when fixed upstream) |  | medium (NVD-derived)',
        'CVE-2099-0003 | curl | 7.88.1-10+deb12u5 | vulnerable, no DSA (Minor issue), fix queued for the next point release |  | low',
        'TEMP-0000000-ABCDEF (no CVE id yet) | curl | 7.88.1-10+deb12u5 | vulnerable, unimportant |  | unimportant',
        'CVE-2099-0007 | pam | 1.5.2-6+deb12u1 | undetermined |  | not yet assigned',
      ]);
      expect(html).toContain(
        '6 vulnerable (3 with a fix in bookworm), 1 uncertain or undetermined, 1 fixed, 1 not affected',
      );
    });

    test('the section reads the stored findings, and matches live, alike, where none are counted', async () => {
      await report('/hosts/web1.example.org/update', BOOKWORM_HOST);
      await importFeed(t.database, { from: FEED, userAgent: 'test' });
      // A host reporting after the import gets its pairs from its report, not from the import.
      await report('/hosts/web2.example.org/update', { ...BOOKWORM_HOST, hostname: 'web2.example.org' });
      const m = sqlNames(t.database.tables.cveMatchedVersions);
      const stored = cveRows(await page('/hosts/web1.example.org'));
      expect(stored).toHaveLength(7);
      expect(cveRows(await page('/hosts/web2.example.org'))).toEqual(stored);
      // The summary's fixed count comes from the matched pairs' counts: the stored path is the one read.
      await write(`UPDATE ${m.$table} SET ${m.fixed} = ${m.fixed} + 10 WHERE ${m.source} = 'curl'`);
      expect(await page('/hosts/web1.example.org')).toContain('11 fixed, 1 not affected');
      // Pairs matched before the counts were kept (NULL) are matched live: the same rows and counts.
      await write(`UPDATE ${m.$table} SET ${m.fixed} = NULL`);
      const live = await page('/hosts/web1.example.org');
      expect(cveRows(live)).toEqual(stored);
      expect(live).toContain('6 vulnerable (3 with a fix in bookworm), 1 uncertain or undetermined, 1 fixed');
    });

    test('findings come a page at a time, in the same order, on both paths', async () => {
      await report('/hosts/web1.example.org/update', BOOKWORM_HOST);
      await importFeed(t.database, { from: FEED, userAgent: 'test' });
      const html = await page('/hosts/web1.example.org');
      const all = cveRows(html);
      const [host] = await t.database.sql.select<{ id: number }>('SELECT id FROM hosts');
      const owner = {
        kind: 'host' as const,
        id: Number(host?.id),
        os: 'Debian 12',
        kernelBanner: BOOKWORM_HOST.running_kernel.version,
      };
      const pages = async () => {
        const cves: string[] = [];
        for (const page of [1, 2, 3]) {
          const read = await readOwnerCves(t.database, owner, { page, perPage: 3 });
          expect(read.exposure?.total).toBe(7);
          expect(read.exposure?.page).toBe(page);
          cves.push(...(read.exposure?.items.map((item) => item.cve) ?? []));
        }
        // Past the last page, the last page.
        expect((await readOwnerCves(t.database, owner, { page: 9, perPage: 3 })).exposure?.page).toBe(3);
        return cves;
      };
      const expected = all.map((row) => (row.split(' | ')[0] ?? '').replace(' (no CVE id yet)', ''));
      expect(await pages()).toEqual(expected);
      const m = sqlNames(t.database.tables.cveMatchedVersions);
      await write(`UPDATE ${m.$table} SET ${m.fixed} = NULL`);
      expect(await pages()).toEqual(expected);
      // Seven findings fit one page of the section: no pager; the query parameter is harmless.
      expect(html).not.toContain('aria-label="CVE pages"');
      expect(cveRows(await page('/hosts/web1.example.org?cves_page=x'))).toEqual(all);
    });

    test('a bullseye host sees end-of-life; a buster host is not covered, not clean', async () => {
      await report('/hosts/old1.example.org/update', {
        ...BOOKWORM_HOST,
        hostname: 'old1.example.org',
        os: 'Debian 11',
        installed: [{ name: 'chromium', version: '120.0.6099.224-1~deb11u1', source: 'chromium' }],
        upgradable: [],
      });
      await report('/hosts/older.example.org/update', {
        ...BOOKWORM_HOST,
        hostname: 'older.example.org',
        os: 'Debian 10',
        installed: [{ name: 'curl', version: '7.64.0-4+deb10u2', source: 'curl' }],
        upgradable: [],
      });
      await importFeed(t.database, { from: FEED, userAgent: 'test' });
      expect(cveRows(await page('/hosts/old1.example.org'))).toEqual([
        'CVE-2099-0005 | chromium | 120.0.6099.224-1~deb11u1 | vulnerable, not supported (end-of-life) |  | end-of-life',
      ]);
      const older = await page('/hosts/older.example.org');
      expect(older).toContain('Release <strong>buster</strong> is not covered');
      expect(cveRows(older)).toEqual([]);
    });

    test('an image gets no kernel CVEs, and a backport is uncertain', async () => {
      await report('/images/registry.example.org/app:1/update', {
        image_name: 'registry.example.org/app:1',
        os: 'Debian 12',
        update_type: 'full',
        installed: [
          { name: 'linux-libc-dev', version: '6.1.112-1', source: 'linux', source_version: '6.1.112-1' },
          {
            name: 'curl',
            version: '7.88.1-10+deb12u5~bpo12+1',
            source: 'curl',
            source_version: '7.88.1-10+deb12u5~bpo12+1',
          },
        ],
      });
      await importFeed(t.database, { from: FEED, userAgent: 'test' });
      const rows = cveRows(await page('/images/registry.example.org/app:1'));
      expect(rows.some((row) => row.includes('linux'))).toBe(false);
      expect(rows[0]).toBe(
        'CVE-2099-0001 | curl | 7.88.1-10+deb12u5~bpo12+1 | uncertain: version from another suite |  | medium',
      );
    });
  });
}
