/**
 * The package rows of one host or image: load them with one query, and write a computed diff with
 * one batched upsert and one batched delete. Host and image package tables have the same shape.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { batchRows } from '../db/dialect.ts';
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import type { RecordedPackage, ReportDiff } from '../domain/report-diff.ts';
import { type ResolvedVersion, requestKey, resolveVersions, type VersionRequest } from './catalog.ts';
import type { CatalogScope } from './catalog-cache.ts';

/** Which table holds the rows and which column names the owner. */
export type PackageOwner = { kind: 'host' | 'image'; id: number };

/** A recorded row with its ids. */
export interface RecordedRow extends RecordedPackage {
  packageId: number;
}

function tableOf(database: Database, owner: PackageOwner) {
  // Both tables have identical columns apart from the owner; the host table's type serves for both.
  const { hostPackages, imagePackages } = database.tables;
  const table = owner.kind === 'host' ? hostPackages : (imagePackages as unknown as typeof hostPackages);
  const ownerColumn = owner.kind === 'host' ? hostPackages.hostId : imagePackages.imageId;
  return { table, ownerColumn, ownerKey: owner.kind === 'host' ? 'hostId' : 'imageId' };
}

/** Every package row of the owner, by package name, with version strings (one query). */
export async function loadRecordedRows(
  tx: AppDb,
  database: Database,
  owner: PackageOwner,
): Promise<Map<string, RecordedRow>> {
  const { table, ownerColumn } = tableOf(database, owner);
  const { packages, packageVersions } = database.tables;
  const rows = await database.dialect.selectRows<{
    package_id: number;
    name: string;
    version: string;
    upgrade_version: string | null;
    upgrade_type: string | null;
  }>(
    tx,
    sql`SELECT r.package_id, p.name, v.version, u.version AS upgrade_version, r.upgrade_type
        FROM ${table} r
        JOIN ${packages} p ON p.id = r.package_id
        JOIN ${packageVersions} v ON v.id = r.package_version_id
        LEFT JOIN ${packageVersions} u ON u.id = r.upgradable_version_id
        WHERE r.${sql.identifier(ownerColumn.name)} = ${owner.id}`,
  );
  const byName = new Map<string, RecordedRow>();
  for (const row of rows) {
    byName.set(row.name, {
      name: row.name,
      packageId: Number(row.package_id),
      version: row.version,
      upgradeVersion: row.upgrade_version,
      upgradeType: row.upgrade_type,
    });
  }
  return byName;
}

/** Adds the source names of the recorded versions (needed to move the rows to another OS). */
export async function loadRecordedSources(
  tx: AppDb,
  database: Database,
  owner: PackageOwner,
  recorded: Map<string, RecordedRow>,
): Promise<void> {
  const { table, ownerColumn } = tableOf(database, owner);
  const { packages, packageVersions, srcPackageVersions, srcPackages } = database.tables;
  const rows = await database.dialect.selectRows<{
    name: string;
    source: string;
    upgrade_source: string | null;
  }>(
    tx,
    sql`SELECT p.name, s.name AS source, us.name AS upgrade_source
        FROM ${table} r
        JOIN ${packages} p ON p.id = r.package_id
        JOIN ${packageVersions} v ON v.id = r.package_version_id
        JOIN ${srcPackageVersions} sv ON sv.id = v.src_package_version_id
        JOIN ${srcPackages} s ON s.id = sv.src_package_id
        LEFT JOIN ${packageVersions} u ON u.id = r.upgradable_version_id
        LEFT JOIN ${srcPackageVersions} usv ON usv.id = u.src_package_version_id
        LEFT JOIN ${srcPackages} us ON us.id = usv.src_package_id
        WHERE r.${sql.identifier(ownerColumn.name)} = ${owner.id}`,
  );
  for (const row of rows) {
    const recordedRow = recorded.get(row.name);
    if (!recordedRow) continue;
    recordedRow.source = row.source;
    if (row.upgrade_source !== null) recordedRow.upgradeSource = row.upgrade_source;
  }
}

/** Writes `diff` for the owner: resolves the versions it needs on `osId`, upserts, deletes. */
export async function writePackageDiff(
  tx: AppDb,
  database: Database,
  cache: CatalogScope,
  owner: PackageOwner,
  osId: number,
  recorded: ReadonlyMap<string, RecordedRow>,
  diff: ReportDiff,
  now: Date,
): Promise<void> {
  const { table, ownerColumn, ownerKey } = tableOf(database, owner);
  const requests: VersionRequest[] = diff.catalogOnly.map((item) => ({ ...item, source: item.source }));
  for (const row of diff.writes) {
    requests.push({ name: row.name, version: row.version, source: row.source });
    if (row.upgrade)
      requests.push({ name: row.name, version: row.upgrade.version, source: row.upgrade.source });
  }
  const ids = await resolveVersions(tx, database, cache, osId, requests, now);
  const idOf = (name: string, version: string): ResolvedVersion => {
    const id = ids.get(requestKey(name, version));
    if (!id) throw new Error(`Version ${name} ${version} was not resolved`);
    return id;
  };

  const upserts = diff.writes.map((row) => {
    const installed = idOf(row.name, row.version);
    const upgrade = row.upgrade ? idOf(row.name, row.upgrade.version) : null;
    return {
      [ownerKey]: owner.id,
      packageId: installed.packageId,
      packageVersionId: installed.versionId,
      upgradablePackageId: upgrade?.packageId ?? null,
      upgradableVersionId: upgrade?.versionId ?? null,
      upgradeType: upgrade ? row.upgradeType : null,
      created: now,
      modified: now,
    };
  });
  upserts.sort((a, b) => a.packageId - b.packageId);
  for (const batch of batchRows(database.dialect, upserts, 8)) {
    await database.dialect.upsert(
      tx,
      table,
      batch,
      [ownerColumn, table.packageId],
      [
        table.packageVersionId,
        table.upgradablePackageId,
        table.upgradableVersionId,
        table.upgradeType,
        table.modified,
      ],
    );
  }

  const removedIds = diff.removals
    .map((name) => recorded.get(name)?.packageId)
    .filter((id) => id !== undefined);
  for (const batch of batchRows(database.dialect, removedIds, 1)) {
    await tx.delete(table).where(and(eq(ownerColumn, owner.id), inArray(table.packageId, batch)));
  }
}
