/** Source package counts (derived from their binaries') and the ranked search, on both dialects. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import type { ListOptions } from '../../../src/store/read/list-options.ts';
import { search } from '../../../src/store/read/search.ts';
import { withSearchDetails } from '../../../src/store/read/search-details.ts';
import { listSourcePackages, readSourceBinaries } from '../../../src/store/read/source-packages.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';
import { loadReferenceFixture } from '../../helpers/reference-fixture.ts';

function options<S extends string>(sort: S, extra: Partial<ListOptions<S>> = {}): ListOptions<S> {
  return { offset: 0, limit: 50, sort, descending: false, q: '', filter: 'all', ...extra };
}

for (const kind of DIALECTS) {
  describe(`source package counts and ranked search on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      await loadReferenceFixture(t.database);
      const { tables } = t.database;
      await t.database.transaction(async (tx) => {
        await tx.db.update(tables.kernels).set({ release: '6.1.0-26-amd64' }).where(eq(tables.kernels.id, 1));
      });
    });
    afterAll(async () => t?.drop());

    const counted = (rows: { name: string; installed: number; upgrades: number; security: number }[]) =>
      rows.map((r) => `${r.name} ${r.installed}/${r.upgrades}/${r.security}`);

    test('a source package counts what its most widespread binary counts, security first by default', async () => {
      const page = await listSourcePackages(t.store, options('default'));
      expect(counted(page.rows)).toEqual([
        'package2 3/3/3',
        'nodejs 2/1/1',
        'package1 3/2/0',
        'package3 3/0/0',
      ]);
    });

    test('the upgrade filters and count sorts of the source packages list', async () => {
      const security = await listSourcePackages(t.store, options('default', { filter: 'security' }));
      expect(security.rows.map((r) => r.name)).toEqual(['package2', 'nodejs']);
      expect(security.total).toBe(2);
      const upgradable = await listSourcePackages(t.store, options('upgrades', { filter: 'upgradable' }));
      expect(upgradable.rows.map((r) => r.name)).toEqual(['nodejs', 'package1', 'package2']);
      const byName = await listSourcePackages(t.store, options('name', { descending: true, limit: 2 }));
      expect(counted(byName.rows)).toEqual(['package3 3/0/0', 'package2 3/3/3']);
      expect(byName.total).toBe(4);
    });

    test('a source package lists its binaries with their own counts', async () => {
      const { db, tables } = t.database;
      const [source] = await db
        .select({ id: tables.srcPackages.id })
        .from(tables.srcPackages)
        .where(eq(tables.srcPackages.name, 'package3'));
      const binaries = await readSourceBinaries(t.database, [source?.id ?? 0]);
      expect(counted(binaries.get(source?.id ?? 0) ?? [])).toEqual(['package3 3/0/0', 'package3-dev 3/0/0']);
    });

    test('search ranks exact matches, then prefixes, then substrings, across groups', async () => {
      const hits = await search(t.database, 'package3', { offset: 0, limit: 50 });
      expect(hits.rows.map((h) => `${h.group} ${h.name}`)).toEqual([
        'packages package3',
        'source-packages package3',
        'packages package3-dev',
      ]);
      const inner = await search(t.database, 'ckage3', { offset: 0, limit: 50 });
      expect(inner.total).toBe(3);
      const second = await search(t.database, 'package3', { offset: 2, limit: 1 });
      expect(second.rows.map((h) => h.name)).toEqual(['package3-dev']);
      expect(second.total).toBe(3);
    });

    test('a kernel release as users type it finds the kernel', async () => {
      const hits = await search(t.database, '6.1.0-26', { offset: 0, limit: 50 });
      expect(hits.rows.map((h) => `${h.group} ${h.name} ${h.release}`)).toEqual([
        'kernels os1-100-1 6.1.0-26-amd64',
      ]);
      const [kernel] = await withSearchDetails(t.database, hits.rows);
      expect(kernel?.hosts).toBe(3);
    });

    test('search hits carry their counts', async () => {
      const hits = await withSearchDetails(
        t.database,
        (await search(t.database, 'host1', { offset: 0, limit: 5 })).rows,
      );
      expect(hits.map((h) => [h.name, h.counts])).toEqual([
        ['host1.example.com', { installed: 4, upgrades: 2, security: 1 }],
      ]);
      const packages = await withSearchDetails(
        t.database,
        (await search(t.database, 'package2', { offset: 0, limit: 2 })).rows,
      );
      expect(packages.map((h) => [h.group, h.counts])).toEqual([
        ['packages', { installed: 3, upgrades: 3, security: 3 }],
        ['source-packages', { installed: 3, upgrades: 3, security: 3 }],
      ]);
    });
  });
}
