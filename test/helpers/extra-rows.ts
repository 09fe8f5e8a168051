/**
 * Rows added on top of the reference fixture, for paging, escaping and encoding tests, with the
 * packages' count deltas that ingest would append for them.
 */
import type { Database } from '../../src/db/open-database.ts';

const STAMP = new Date('2024-01-02T03:04:05.000Z');

/**
 * Adds `count` hosts named `fleet-NNN.example.org` (Debian 11, kernel 1) with one package each;
 * every third has a security upgrade of package2, so filters have something to keep.
 */
export async function addFleetHosts(database: Database, count: number): Promise<void> {
  const t = database.tables;
  await database.transaction(async (tx) => {
    const hosts = Array.from({ length: count }, (_, index) => ({
      id: 100 + index,
      name: `fleet-${String(index).padStart(3, '0')}.example.org`,
      osId: 1,
      kernelId: 1,
      packageCount: 1,
      upgradeCount: index % 3 === 0 ? 1 : 0,
      securityCount: index % 3 === 0 ? 1 : 0,
      created: STAMP,
      modified: new Date(STAMP.getTime() + index * 60_000),
    }));
    await tx.insert(t.hosts).values(hosts);
    await tx.insert(t.hostPackages).values(
      hosts.map((host, index) => ({
        hostId: host.id,
        packageId: 2,
        packageVersionId: 2,
        upgradablePackageId: index % 3 === 0 ? 2 : null,
        upgradableVersionId: index % 3 === 0 ? 6 : null,
        upgradeType: index % 3 === 0 ? 'security' : null,
        created: STAMP,
        modified: STAMP,
      })),
    );
    const upgrades = hosts.filter((_, index) => index % 3 === 0).length;
    await tx
      .insert(t.packageCountDeltas)
      .values({ packageId: 2, installed: count, upgrades, security: upgrades });
  });
}

/** Adds a binary package (with its source and one version) installed on host 1; returns its id. */
export async function addPackageOnHost1(
  database: Database,
  name: string,
  version = '1.0-1',
): Promise<number> {
  const t = database.tables;
  const id = 50 + Math.floor(Math.random() * 1000);
  await database.transaction(async (tx) => {
    await tx.insert(t.srcPackages).values({ id, name });
    await tx
      .insert(t.srcPackageVersions)
      .values({ id, srcPackageId: id, version, osId: 1, created: STAMP, modified: STAMP });
    await tx.insert(t.packages).values({ id, name });
    await tx.insert(t.packageVersions).values({
      id,
      packageId: id,
      version,
      osId: 1,
      srcPackageVersionId: id,
      created: STAMP,
      modified: STAMP,
    });
    await tx.insert(t.hostPackages).values({
      hostId: 1,
      packageId: id,
      packageVersionId: id,
      created: STAMP,
      modified: STAMP,
    });
    await tx.insert(t.packageCountDeltas).values({ packageId: id, installed: 1, upgrades: 0, security: 0 });
  });
  return id;
}
