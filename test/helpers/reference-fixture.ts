/**
 * The reference dataset of spec/server.md §2.5 (upstream tests/db.json), loaded with explicit ids so
 * that tests can use the ids the spec names. Host and image counters, and the packages' folded
 * counts, are set as ingest and the fold keep them.
 */
import type { Database } from '../../src/db/open-database.ts';

export const HOSTNAME = 'host1.example.com';
export const IMAGENAME = 'registry.example.com/component/image-name:1.2.3-1';
export const DEPLOYED_IMAGE = 'registry.example.com/component/image-deployed:1.2.3-1';
export const HOSTS_MODIFIED = new Date('2018-06-26T16:46:33.213Z');
export const IMAGES_MODIFIED = new Date('2019-10-19T14:10:09.483Z');
const STAMP = new Date('2018-06-26T16:00:00.000Z');

/**
 * The packages with their counts (installed, upgrades, security; host rows plus image rows), in id
 * order: checklist §8.7 item 77.
 */
export const REFERENCE_PACKAGE_COUNTS: readonly [string, number, number, number][] = [
  ['package1', 3, 2, 0],
  ['package2', 3, 3, 3],
  ['package3', 3, 0, 0],
  ['package3-dev', 3, 0, 0],
  ['nodejs', 2, 1, 1],
  ['gcc-9', 1, 0, 0],
];

/** Inserts the fixture into an empty, migrated database. */
export async function loadReferenceFixture(database: Database): Promise<void> {
  const t = database.tables;
  const stamps = { created: STAMP, modified: STAMP };
  await database.transaction(async (tx) => {
    await tx.db.insert(t.operatingSystems).values([
      { id: 1, name: 'Debian 11' },
      { id: 2, name: 'Ubuntu 24.04' },
    ]);
    await tx.db.insert(t.srcPackages).values([
      { id: 1, name: 'package1' },
      { id: 2, name: 'package2' },
      { id: 3, name: 'package3' },
      { id: 4, name: 'nodejs' },
    ]);
    const srcVersions: [number, number, string][] = [
      [1, 1, '1.0.0-1'],
      [2, 2, '2.0.0-1'],
      [3, 3, '3.0.0-1'],
      [4, 1, '1.0.0-2'],
      [5, 2, '2.0.1-1'],
      [6, 4, '1.2.3-5'],
      [7, 4, '1.2.3-4'],
    ];
    await tx.db
      .insert(t.srcPackageVersions)
      .values(
        srcVersions.map(([id, srcPackageId, version]) => ({ id, srcPackageId, version, osId: 1, ...stamps })),
      );
    await tx.db
      .insert(t.packages)
      .values(REFERENCE_PACKAGE_COUNTS.map(([name], index) => ({ id: index + 1, name })));
    await tx.db.insert(t.packageCounts).values(
      REFERENCE_PACKAGE_COUNTS.map(([, installed, upgrades, security], index) => ({
        packageId: index + 1,
        installed,
        upgrades,
        security,
      })),
    );
    // id: package, version, source version
    const versions: [number, number, string, number][] = [
      [1, 1, '1.0.0-1', 1],
      [2, 2, '2.0.0-1', 2],
      [3, 3, '3.0.0-1', 3],
      [4, 4, '3.0.0-1', 3],
      [5, 1, '1.0.0-2', 4],
      [6, 2, '2.0.1-1', 5],
      [7, 5, '1.2.3-4', 7],
      [8, 6, '9.0.0-1', 5],
      [9, 5, '1.2.3-5', 6],
    ];
    await tx.db.insert(t.packageVersions).values(
      versions.map(([id, packageId, version, srcPackageVersionId]) => ({
        id,
        packageId,
        version,
        osId: 1,
        srcPackageVersionId,
        ...stamps,
      })),
    );
    await tx.db.insert(t.kernels).values({ id: 1, name: 'os1-100-1', slug: 'os1-100-1', osId: 1, ...stamps });
    const hostStamps = { created: HOSTS_MODIFIED, modified: HOSTS_MODIFIED };
    await tx.db.insert(t.hosts).values([
      {
        id: 1,
        name: 'host1.example.com',
        osId: 1,
        kernelId: 1,
        packageCount: 4,
        upgradeCount: 2,
        securityCount: 1,
        ...hostStamps,
      },
      {
        id: 2,
        name: 'host2.example.com',
        osId: 1,
        kernelId: 1,
        packageCount: 4,
        upgradeCount: 1,
        securityCount: 1,
        ...hostStamps,
      },
      {
        id: 3,
        name: 'host3.example.com',
        osId: 1,
        kernelId: 1,
        packageCount: 4,
        upgradeCount: 2,
        securityCount: 1,
        ...hostStamps,
      },
    ]);
    // host: [package, installed version, upgradable version | null, upgrade type]
    const upgradeRows: [number, number, number | null, string | null][] = [
      [1, 1, 5, ''],
      [2, 2, 6, 'security'],
      [3, 3, null, null],
      [4, 4, null, null],
    ];
    const host2Rows: [number, number, number | null, string | null][] = [
      [1, 5, null, null],
      [2, 2, 6, 'security'],
      [3, 3, null, null],
      [4, 4, null, null],
    ];
    const rowsByHost: [number, typeof upgradeRows][] = [
      [1, upgradeRows],
      [2, host2Rows],
      [3, upgradeRows],
    ];
    await tx.db.insert(t.hostPackages).values(
      rowsByHost.flatMap(([hostId, rows]) =>
        rows.map(([packageId, packageVersionId, upgradableVersionId, upgradeType]) => ({
          hostId,
          packageId,
          packageVersionId,
          upgradablePackageId: upgradableVersionId === null ? null : packageId,
          upgradableVersionId,
          upgradeType,
          ...stamps,
        })),
      ),
    );
    const imageStamps = { created: IMAGES_MODIFIED, modified: IMAGES_MODIFIED };
    await tx.db.insert(t.images).values([
      { id: 1, name: IMAGENAME, osId: 1, packageCount: 2, upgradeCount: 1, securityCount: 1, ...imageStamps },
      {
        id: 2,
        name: DEPLOYED_IMAGE,
        osId: 1,
        packageCount: 1,
        upgradeCount: 0,
        securityCount: 0,
        ...imageStamps,
      },
    ]);
    await tx.db.insert(t.imagePackages).values([
      {
        imageId: 1,
        packageId: 5,
        packageVersionId: 7,
        upgradablePackageId: 5,
        upgradableVersionId: 9,
        upgradeType: 'security',
        ...stamps,
      },
      {
        imageId: 1,
        packageId: 6,
        packageVersionId: 8,
        upgradablePackageId: null,
        upgradableVersionId: null,
        upgradeType: null,
        ...stamps,
      },
      {
        imageId: 2,
        packageId: 5,
        packageVersionId: 9,
        upgradablePackageId: null,
        upgradableVersionId: null,
        upgradeType: null,
        ...stamps,
      },
    ]);
    await tx.db.insert(t.kubernetesImages).values({
      id: 1,
      cluster: 'ClusterA',
      namespace: 'NamespaceA',
      imageId: 2,
      containers: 2,
      ...stamps,
    });
  });
}
