/**
 * Rows added on top of the reference fixture, for paging, escaping and encoding tests, with the
 * packages' count deltas that ingest would record for them (through the database's count writer).
 */
import { max } from 'drizzle-orm';
import type { Database, Transaction } from '../../src/db/open-database.ts';
import { CountDeltas, type CountTriple } from '../../src/store/counts/package-count-deltas.ts';
import { createPackageCountWriter } from '../../src/store/counts/package-count-writer.ts';

/** Records `counts` for package `packageId` as ingest would. */
async function recordCounts(tx: Transaction, database: Database, packageId: number, counts: CountTriple) {
  const deltas = new CountDeltas();
  deltas.addCounts(packageId, counts);
  await createPackageCountWriter(database).record(tx, deltas);
}

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
    await tx.db.insert(t.hosts).values(hosts);
    await tx.db.insert(t.hostPackages).values(
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
    await recordCounts(tx, database, 2, { installed: count, upgrades, security: upgrades });
  });
}

/** Adds a binary package (with its source and one version) installed on host 1; returns its id. */
export async function addPackageOnHost1(
  database: Database,
  name: string,
  version = '1.0-1',
): Promise<number> {
  const t = database.tables;
  let id = 50;
  await database.transaction(async (tx) => {
    // One id for the four rows, free in each table (a random id once collided with the fleet's).
    for (const table of [t.srcPackages, t.srcPackageVersions, t.packages, t.packageVersions]) {
      const [row] = await tx.db.select({ top: max(table.id) }).from(table);
      id = Math.max(id, 1 + Number(row?.top ?? 0));
    }
    await tx.db.insert(t.srcPackages).values({ id, name });
    await tx.db
      .insert(t.srcPackageVersions)
      .values({ id, srcPackageId: id, version, osId: 1, created: STAMP, modified: STAMP });
    await tx.db.insert(t.packages).values({ id, name });
    await tx.db.insert(t.packageVersions).values({
      id,
      packageId: id,
      version,
      osId: 1,
      srcPackageVersionId: id,
      created: STAMP,
      modified: STAMP,
    });
    await tx.db.insert(t.hostPackages).values({
      hostId: 1,
      packageId: id,
      packageVersionId: id,
      created: STAMP,
      modified: STAMP,
    });
    await recordCounts(tx, database, id, { installed: 1, upgrades: 0, security: 0 });
  });
  return id;
}

/**
 * Adds host `name` (Debian 11, kernel 1) with `count` packages of its own, made by set-based
 * INSERT … SELECT (seconds for 100,000 rows): package `bigpkg-<i>` version `1.<i>-1` from source
 * `bigsrc-<i>`, ids from 100,000 up, no upgrades. Counts are not kept.
 */
export async function addBigHost(database: Database, name: string, count: number): Promise<void> {
  const sqlite = database.kind === 'sqlite';
  const stamp = sqlite ? String(STAMP.getTime()) : `'2024-01-02 03:04:05.000'`;
  // 0 … count - 1 from as many decimal digits as count - 1 has (MariaDB stops recursive CTEs at 1,000
  // rows by default); not more, as each statement makes every number of that many digits.
  const digits = Array.from({ length: 10 }, (_, d) => `SELECT ${d} AS x`).join(' UNION ALL ');
  const places = Array.from({ length: String(Math.max(count - 1, 0)).length }, (_, p) => p);
  const numbers = `WITH d AS (${digits}), n AS (SELECT ${places.map((p) => `${10 ** p} * d${p}.x`).join(' + ')} AS i
    FROM ${places.map((p) => `d d${p}`).join(', ')}) `;
  const base = 100_000;
  const statements = [
    `INSERT INTO hosts (id, name, os_id, kernel_id, package_count, upgrade_count, security_count, created, modified)
     VALUES (${base}, '${name.replaceAll("'", "''")}', 1, 1, ${count}, 0, 0, ${stamp}, ${stamp})`,
    `INSERT INTO src_packages (id, name) ${numbers} SELECT ${base} + i, CONCAT('bigsrc-', i) FROM n WHERE i < ${count}`,
    `INSERT INTO src_package_versions (id, src_package_id, version, os_id, created, modified)
     ${numbers} SELECT ${base} + i, ${base} + i, CONCAT('1.', i, '-1'), 1, ${stamp}, ${stamp} FROM n WHERE i < ${count}`,
    `INSERT INTO packages (id, name) ${numbers} SELECT ${base} + i, CONCAT('bigpkg-', i) FROM n WHERE i < ${count}`,
    `INSERT INTO package_versions (id, package_id, version, os_id, src_package_version_id, created, modified)
     ${numbers} SELECT ${base} + i, ${base} + i, CONCAT('1.', i, '-1'), 1, ${base} + i, ${stamp}, ${stamp} FROM n WHERE i < ${count}`,
    `INSERT INTO host_packages (host_id, package_id, package_version_id, created, modified)
     ${numbers} SELECT ${base}, ${base} + i, ${base} + i, ${stamp}, ${stamp} FROM n WHERE i < ${count}`,
  ];
  await database.transaction(async (tx) => {
    for (const text of statements) await tx.sql.run(text, []);
  });
}
