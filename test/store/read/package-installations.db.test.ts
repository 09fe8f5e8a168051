/**
 * The package detail list (hosts and images with a package installed) against a reference order
 * computed here, on both dialects: every page boundary across version segments, both read plans,
 * the filters, the text filter and both name sorts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Database } from '../../../src/db/open-database.ts';
import type { ListOptions, UpgradeFilter } from '../../../src/store/read/list-options.ts';
import {
  chooseInstallationPlan,
  type InstallationRow,
  type InstallationSort,
  type InstallationTuning,
  listPackageInstallations,
} from '../../../src/store/read/package-installations.ts';
import { listPackageVersions, type PackageVersionSummary } from '../../../src/store/read/packages.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';

const STAMP = new Date('2024-01-02T03:04:05.000Z');
const stamps = { created: STAMP, modified: STAMP };
const PACKAGE = 1;

/** id: [os id, version]; Debian order puts 1.0-9 before 1.0-10, and Debian 11 before Debian 12. */
const VERSIONS: Record<number, [number, string]> = {
  1: [2, '1.0-10'],
  2: [1, '1.0-2'],
  3: [2, '1.0-9'],
  4: [1, '1.0-1'],
  5: [2, '2.0-1'],
};
const VERSION_ORDER = [4, 2, 3, 1, 5];
/** The hosts that have only the other package, filled by loadFleet. */
const HOST_NAMES_WITHOUT_PACKAGE: string[] = [];

interface Owner {
  kind: 'host' | 'image';
  id: number;
  name: string;
}

/** A deterministic pseudo-random sequence in [0, 1). */
function createRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * 90 hosts (ids not in name order, some names upper-case) and 12 images, some named exactly like a
 * host; 80 hosts and 10 images have the package, most of them at version 1 (one large segment),
 * fewer at 2, 3 and 4; some rows have an upgrade, half of those security.
 */
async function loadFleet(database: Database): Promise<InstallationRow[]> {
  const t = database.tables;
  const random = createRandom(7);
  const hosts: Owner[] = Array.from({ length: 90 }, (_, index) => {
    const code = String((index * 37) % 90).padStart(2, '0');
    return { kind: 'host', id: index + 1, name: index % 11 === 0 ? `H${code}.example` : `h${code}.example` };
  });
  const images: Owner[] = Array.from({ length: 12 }, (_, index) => ({
    kind: 'image',
    id: index + 1,
    name: index % 3 === 0 ? (hosts[index * 5]?.name as string) : `h${index * 7}.image`,
  }));
  HOST_NAMES_WITHOUT_PACKAGE.splice(0, Infinity, ...hosts.slice(80).map((host) => host.name));
  const expected: InstallationRow[] = [];
  const rowsOf = (owner: Owner) => {
    const roll = random();
    const versionId = roll < 0.55 ? 1 : roll < 0.8 ? 2 : roll < 0.93 ? 3 : 4;
    const upgrade = random() < 0.4 ? (VERSIONS[versionId]?.[0] === 2 ? 5 : 2) : null;
    const upgradeType = upgrade === null ? null : random() < 0.5 ? 'security' : '';
    expected.push({
      kind: owner.kind,
      name: owner.name,
      versionId,
      upgradableVersion: upgrade === null ? null : (VERSIONS[upgrade]?.[1] as string),
      upgradeType,
    });
    return {
      packageId: PACKAGE,
      packageVersionId: versionId,
      upgradablePackageId: upgrade === null ? null : PACKAGE,
      upgradableVersionId: upgrade,
      upgradeType,
      ...stamps,
    };
  };
  await database.transaction(async (tx) => {
    await tx.db.insert(t.operatingSystems).values([
      { id: 1, name: 'Debian 11' },
      { id: 2, name: 'Debian 12' },
    ]);
    await tx.db.insert(t.srcPackages).values({ id: 1, name: 'demo' });
    await tx.db.insert(t.packages).values([
      { id: PACKAGE, name: 'demo' },
      { id: 2, name: 'other' },
    ]);
    const entries = [...Object.entries(VERSIONS), ['6', [1, '5-1']] as const];
    await tx.db.insert(t.srcPackageVersions).values(
      entries.map(([id, [osId, version]]) => ({
        id: Number(id),
        srcPackageId: 1,
        version,
        osId,
        ...stamps,
      })),
    );
    await tx.db.insert(t.packageVersions).values(
      entries.map(([id, [osId, version]]) => ({
        id: Number(id),
        packageId: id === '6' ? 2 : PACKAGE,
        version,
        osId,
        srcPackageVersionId: Number(id),
        ...stamps,
      })),
    );
    await tx.db.insert(t.kernels).values({ id: 1, name: 'k', slug: 'k', release: 'r', osId: 1, ...stamps });
    // Inserted in reverse so that ids run against name order in the tables too.
    await tx.db
      .insert(t.hosts)
      .values([...hosts].reverse().map(({ id, name }) => ({ id, name, osId: 1, kernelId: 1, ...stamps })));
    await tx.db.insert(t.images).values(images.map(({ id, name }) => ({ id, name, osId: 1, ...stamps })));
    await tx.db
      .insert(t.hostPackages)
      .values([
        ...hosts.slice(0, 80).map((host) => ({ hostId: host.id, ...rowsOf(host) })),
        ...hosts.map((host) => ({ hostId: host.id, packageId: 2, packageVersionId: 6, ...stamps })),
      ]);
    await tx.db
      .insert(t.imagePackages)
      .values(images.slice(0, 10).map((image) => ({ imageId: image.id, ...rowsOf(image) })));
  });
  return expected;
}

const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order the page shows, computed the plain way. */
function referenceOrder(rows: InstallationRow[], options: ListOptions<InstallationSort>): InstallationRow[] {
  const kept = rows.filter(
    (row) =>
      (options.filter === 'all' ||
        (row.upgradableVersion !== null &&
          (options.filter === 'upgradable' || row.upgradeType === 'security'))) &&
      row.name.toLowerCase().includes(options.q.toLowerCase()),
  );
  const rank = (row: InstallationRow) => VERSION_ORDER.indexOf(row.versionId);
  return kept.sort((a, b) =>
    options.sort === 'name'
      ? (options.descending ? -1 : 1) * binary(a.name, b.name) || binary(a.kind, b.kind)
      : rank(a) - rank(b) || binary(a.kind, b.kind) || binary(a.name, b.name),
  );
}

const FILTERS: UpgradeFilter[] = ['all', 'upgradable', 'security'];
const ORDERS: [InstallationSort, boolean][] = [
  ['default', false],
  ['name', false],
  ['name', true],
];
const TUNINGS: [string, InstallationTuning][] = [
  ['cheapest plan', {}],
  ['walk', { plan: 'walk' }],
  ['sort', { plan: 'sort' }],
  ['name sort in SQL', { mergeLimit: 0 }],
];

for (const kind of DIALECTS) {
  describe(`package installations on ${kind}`, () => {
    let t: TestDatabase;
    let rows: InstallationRow[];
    let versions: PackageVersionSummary[];
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      rows = await loadFleet(t.database);
      versions = await listPackageVersions(t.database, PACKAGE);
    });
    afterAll(async () => t?.drop());

    test('versions come in Debian order with host and image counts', () => {
      expect(versions.map((version) => version.id)).toEqual(VERSION_ORDER);
      for (const version of versions) {
        const of = (owner: string) =>
          rows.filter((row) => row.kind === owner && row.versionId === version.id).length;
        expect(version.installedOn).toEqual({ host: of('host'), image: of('image') });
        expect(version.installed).toBe(of('host') + of('image'));
        const candidates = rows.filter((row) => row.upgradableVersion === VERSIONS[version.id]?.[1]);
        expect([version.upgrades, version.security]).toEqual([
          candidates.length,
          candidates.filter((row) => row.upgradeType === 'security').length,
        ]);
      }
      expect(versions[0]?.installedOn.host).toBeGreaterThan(0);
      // Security upgrades to two candidates: split by candidate, not put on one.
      expect(versions.filter((version) => version.security > 0)).toHaveLength(2);
    });

    test('the fleet spreads each filter over several segments of hosts and images', () => {
      for (const filter of FILTERS) {
        const kept = referenceOrder(rows, {
          sort: 'default',
          descending: false,
          q: '',
          filter,
          offset: 0,
          limit: 0,
        });
        expect(new Set(kept.map((row) => `${row.versionId} ${row.kind}`)).size).toBeGreaterThanOrEqual(4);
        expect(kept.some((row) => row.kind === 'image')).toBe(true);
      }
    });

    for (const [label, tuning] of TUNINGS)
      for (const filter of FILTERS)
        for (const q of ['', 'H1', '.image'])
          test(`${label}: every 7-row page matches the reference (filter ${filter}, q '${q}')`, async () => {
            for (const [sort, descending] of ORDERS) {
              const base = { sort, descending, q, filter, limit: 7, offset: 0 };
              const reference = referenceOrder(rows, base);
              const seen: InstallationRow[] = [];
              for (let offset = 0; offset <= reference.length + 7; offset += 7) {
                const page = await listPackageInstallations(
                  t.store,
                  PACKAGE,
                  versions,
                  { ...base, offset },
                  tuning,
                );
                expect(page.total).toBe(reference.length);
                expect(page.rows).toEqual(reference.slice(offset, offset + 7));
                seen.push(...page.rows);
              }
              expect(seen).toEqual(reference);
            }
          });

    test('a package on every host pages by the host names alone, from either end', async () => {
      const other = await listPackageVersions(t.database, 2);
      expect(other.map((version) => version.installedOn)).toEqual([{ host: 90, image: 0 }]);
      const names = rows.filter((row) => row.kind === 'host').map((row) => row.name);
      const allHosts = [...names, ...HOST_NAMES_WITHOUT_PACKAGE].sort(binary);
      for (const [sort, descending] of ORDERS) {
        const reference = descending ? [...allHosts].reverse() : allHosts;
        for (const [, tuning] of TUNINGS)
          for (let offset = 0; offset < 95; offset += 11) {
            const page = await listPackageInstallations(
              t.store,
              2,
              other,
              { sort, descending, q: '', filter: 'all', offset, limit: 11 },
              tuning,
            );
            expect(page.total).toBe(90);
            expect(page.rows.map((row) => row.name)).toEqual(reference.slice(offset, offset + 11));
            expect(page.rows.every((row) => row.kind === 'host' && row.versionId === 6)).toBe(true);
          }
      }
    });

    test('pages of any size cut segments anywhere', async () => {
      const reference = referenceOrder(rows, {
        sort: 'default',
        descending: false,
        q: '',
        filter: 'all',
        offset: 0,
        limit: 0,
      });
      for (const limit of [1, 13, 44, 50, 200])
        for (const offset of [0, 1, 43, 44, 45, 60, 89])
          for (const [, tuning] of TUNINGS) {
            const page = await listPackageInstallations(
              t.store,
              PACKAGE,
              versions,
              { sort: 'default', descending: false, q: '', filter: 'all', offset, limit },
              tuning,
            );
            expect(page.rows).toEqual(reference.slice(offset, offset + limit));
          }
    });

    test('a host and an image with the same name: the host comes first in both name orders', async () => {
      const twins = rows.filter((row) =>
        rows.some((other) => other.name === row.name && other.kind !== row.kind),
      );
      expect(twins.length).toBeGreaterThanOrEqual(2);
      const name = twins[0]?.name as string;
      for (const descending of [false, true]) {
        const page = await listPackageInstallations(t.store, PACKAGE, versions, {
          sort: 'name',
          descending,
          q: name,
          filter: 'all',
          offset: 0,
          limit: 50,
        });
        expect(page.rows.filter((row) => row.name === name).map((row) => row.kind)).toEqual([
          'host',
          'image',
        ]);
      }
    });
  });
}

describe('chooseInstallationPlan', () => {
  const fleet = { owners: 10_000, matching: 1 };
  test('walks a segment that holds most owners, from either end', () => {
    expect(chooseInstallationPlan({ ...fleet, reach: 50, count: 10_000, installed: 10_000 })).toBe('walk');
    expect(chooseInstallationPlan({ ...fleet, reach: 5_000, count: 9_000, installed: 9_000 })).toBe('walk');
  });
  test('sorts a small segment', () => {
    expect(chooseInstallationPlan({ ...fleet, reach: 50, count: 100, installed: 100 })).toBe('sort');
    expect(chooseInstallationPlan({ ...fleet, reach: 1_000, count: 1_000, installed: 1_000 })).toBe('sort');
  });
  test('walks names when a text filter keeps few rows of a large segment', () => {
    const few = { owners: 10_000, reach: 20, count: 20, installed: 9_000, matching: 20 / 9_000 };
    expect(chooseInstallationPlan(few)).toBe('walk');
    expect(chooseInstallationPlan({ ...few, installed: 200, matching: 0.1 })).toBe('sort');
  });
});
