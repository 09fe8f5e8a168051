import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readDashboard } from '../../../src/store/read/dashboard.ts';
import { listInventory } from '../../../src/store/read/inventory-list.ts';
import { listInventoryPackages } from '../../../src/store/read/inventory-packages.ts';
import { findKernelBySlug, listKernels } from '../../../src/store/read/kernels.ts';
import type { ListOptions } from '../../../src/store/read/list-options.ts';
import {
  findPackage,
  listPackageInstallations,
  listPackages,
  listPackageVersions,
} from '../../../src/store/read/packages.ts';
import { search } from '../../../src/store/read/search.ts';
import { listSourcePackages } from '../../../src/store/read/source-packages.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';
import { loadReferenceFixture } from '../../helpers/reference-fixture.ts';

function options<S extends string>(sort: S, extra: Partial<ListOptions<S>> = {}): ListOptions<S> {
  return { offset: 0, limit: 50, sort, descending: false, q: '', filter: 'all', ...extra };
}

for (const kind of DIALECTS) {
  describe(`read queries on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      await loadReferenceFixture(t.database);
    });
    afterAll(async () => t?.drop());

    test('the dashboard counts the fixture as checklist item 72 says', async () => {
      const d = await readDashboard(t.store);
      expect(d.hosts).toMatchObject({ total: 3, withUpgrades: 3, withSecurity: 3 });
      // Packages count hosts and images, as the lists they link to; versions count hosts only.
      expect(d.packages).toEqual({ total: 6, withUpgrades: 3, withSecurity: 2 });
      expect(d.packageVersions).toEqual({ total: 9, withUpgrades: 2, withSecurity: 1 });
      expect(d.sourcePackages).toEqual({ total: 4, versions: 7, withUpgrades: 3, withSecurity: 2 });
      expect(d.images).toMatchObject({ total: 2, withUpgrades: 1, withSecurity: 1 });
      expect(d.totals).toEqual({ hostUpgrades: 5, imageUpgrades: 1, hostSecurity: 3, imageSecurity: 1 });
      expect(d.hosts.latest?.toISOString()).toBe('2018-06-26T16:46:33.213Z');
    });

    test('hosts sort by counts by default and filter by security', async () => {
      const page = await listInventory(t.database, 'hosts', options('default'));
      expect(page.rows.map((r) => r.name)).toEqual([
        'host1.example.com',
        'host3.example.com',
        'host2.example.com',
      ]);
      const byName = await listInventory(
        t.database,
        'hosts',
        options('name', { descending: true, limit: 2 }),
      );
      expect(byName.rows.map((r) => r.name)).toEqual(['host3.example.com', 'host2.example.com']);
      expect(byName.total).toBe(3);
      const found = await listInventory(t.database, 'hosts', options('name', { q: 'HOST2' }));
      expect(found.rows.map((r) => r.name)).toEqual(['host2.example.com']);
    });

    test('host packages put upgrades first and filter to security', async () => {
      const all = await listInventoryPackages(t.database, 'hosts', 1, options('default'));
      expect(all.rows.map((r) => r.packageName)).toEqual([
        'package2',
        'package1',
        'package3',
        'package3-dev',
      ]);
      const security = await listInventoryPackages(
        t.database,
        'hosts',
        1,
        options('default', { filter: 'security' }),
      );
      expect(security.rows).toEqual([
        {
          packageName: 'package2',
          version: '2.0.0-1',
          upgradableVersion: '2.0.1-1',
          upgradeType: 'security',
          upgradeSince: null,
        },
      ]);
    });

    test('packages carry host plus image counts (checklist item 77)', async () => {
      const page = await listPackages(t.store, options('name'));
      const byName = Object.fromEntries(
        page.rows.map((r) => [r.name, [r.installed, r.upgrades, r.security, r.versionCount]]),
      );
      expect(byName).toEqual({
        'gcc-9': [1, 0, 0, 1],
        nodejs: [2, 1, 1, 2],
        package1: [3, 2, 0, 2],
        package2: [3, 3, 3, 2],
        package3: [3, 0, 0, 1],
        'package3-dev': [3, 0, 0, 1],
      });
      const ranked = await listPackages(t.store, options('default'));
      expect(ranked.rows.map((r) => r.name)).toEqual([
        'package2',
        'nodejs',
        'package1',
        'package3',
        'package3-dev',
        'gcc-9',
      ]);
      const security = await listPackages(t.store, options('name', { filter: 'security' }));
      expect(security.rows.map((r) => r.name)).toEqual(['nodejs', 'package2']);
    });

    test('package versions and installations follow Debian order', async () => {
      const pkg = await findPackage(t.database, 'package1');
      const versions = await listPackageVersions(t.database, pkg!.id);
      expect(versions.map((v) => [v.version, v.installed, v.upgrades])).toEqual([
        ['1.0.0-1', 2, 0],
        ['1.0.0-2', 1, 2],
      ]);
      const rows = await listPackageInstallations(t.store, pkg!.id, versions, options('default'));
      expect(rows.rows.map((r) => r.name)).toEqual([
        'host1.example.com',
        'host3.example.com',
        'host2.example.com',
      ]);
      expect(rows.total).toBe(3);
      const nodejs = await findPackage(t.database, 'nodejs');
      const nodeVersions = await listPackageVersions(t.database, nodejs!.id);
      const images = await listPackageInstallations(
        t.store,
        nodejs!.id,
        nodeVersions,
        options('default', { filter: 'security' }),
      );
      expect(images.rows).toEqual([
        {
          kind: 'image',
          name: 'registry.example.com/component/image-name:1.2.3-1',
          versionId: 7,
          upgradableVersion: '1.2.3-5',
          upgradeType: 'security',
        },
      ]);
    });

    test('kernels count their hosts and resolve by slug', async () => {
      const page = await listKernels(t.database, options('default'));
      expect(page.rows.map((r) => [r.os, r.name, r.hostCount])).toEqual([['Debian 11', 'os1-100-1', 3]]);
      expect((await findKernelBySlug(t.database, 1, 'os1-100-1'))?.id).toBe(1);
      expect(await findKernelBySlug(t.database, 2, 'os1-100-1')).toBeNull();
    });

    test('source packages count versions (checklist item 79)', async () => {
      const page = await listSourcePackages(t.store, options('name'));
      expect(page.rows.map((r) => [r.name, r.versionCount, r.oses.join(', ')])).toEqual([
        ['nodejs', 2, 'Debian 11'],
        ['package1', 2, 'Debian 11'],
        ['package2', 2, 'Debian 11'],
        ['package3', 1, 'Debian 11'],
      ]);
    });

    test('search matches versions case-insensitively and pages across groups', async () => {
      const hits = await search(t.database, '1.0', { offset: 0, limit: 50 });
      expect(hits.rows.map((h) => `${h.group} ${h.name} ${h.version}`)).toEqual([
        'package-versions package1 1.0.0-1',
        'package-versions package1 1.0.0-2',
        'source-package-versions package1 1.0.0-1',
        'source-package-versions package1 1.0.0-2',
      ]);
      const upper = await search(t.database, 'HOST', { offset: 2, limit: 2 });
      expect(upper.total).toBe(3);
      expect(upper.rows.map((h) => h.name)).toEqual(['host3.example.com']);
      // Exact matches (in group order) before the names that only start with the query.
      const mixed = await search(t.database, 'package3', { offset: 1, limit: 2 });
      expect(mixed.rows.map((h) => `${h.group} ${h.name}`)).toEqual([
        'source-packages package3',
        'packages package3-dev',
      ]);
    });
  });
}
