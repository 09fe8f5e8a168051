/**
 * The package rows of one host or image: load them with one query, and write a computed diff with
 * one batched upsert and one batched delete. Host and image package tables have the same shape.
 */
import { sql } from 'drizzle-orm';
import { batchRows, inList, insertRaw } from '../db/dialect.ts';
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import type { RecordedPackage, ReportDiff } from '../domain/report-diff.ts';
import { type ResolvedVersion, requestKey, resolveVersions, type VersionRequest } from './catalog.ts';
import type { CatalogScope } from './catalog-cache.ts';
import { CountDeltas, countedOf, recordCountDeltas } from './package-count-deltas.ts';

/** Which table holds the rows and which column names the owner. */
export type PackageOwner = { kind: 'host' | 'image'; id: number };

/** A recorded row with its ids. */
export interface RecordedRow extends RecordedPackage {
  packageId: number;
}

/** Table and owner column names for raw SQL. */
function rawNamesOf(owner: PackageOwner) {
  return owner.kind === 'host'
    ? { tableName: 'host_packages', ownerColumnName: 'host_id' }
    : { tableName: 'image_packages', ownerColumnName: 'image_id' };
}

function tableOf(database: Database, owner: PackageOwner) {
  // Both tables have identical columns apart from the owner; the host table's type serves for both.
  const { hostPackages, imagePackages } = database.tables;
  const table = owner.kind === 'host' ? hostPackages : (imagePackages as unknown as typeof hostPackages);
  const ownerColumn = owner.kind === 'host' ? hostPackages.hostId : imagePackages.imageId;
  return { table, ownerColumn };
}

/**
 * The owner's package rows by package name (one query on the owner's index range, bare ids, no
 * joins): names and versions come from the catalog cache, and what it lacks from one query per
 * kind. With `packageIds`, only the rows of those packages (what a partial report can touch).
 */
export async function loadRecordedRows(
  tx: AppDb,
  database: Database,
  cache: CatalogScope,
  owner: PackageOwner,
  packageIds?: readonly number[],
): Promise<Map<string, RecordedRow>> {
  const { dialect } = database;
  const { tableName, ownerColumnName } = rawNamesOf(owner);
  let text = `SELECT package_id, package_version_id, upgradable_version_id, upgrade_type
              FROM ${tableName} WHERE ${ownerColumnName} = ?`;
  const params: unknown[] = [owner.id];
  if (packageIds) {
    if (packageIds.length === 0) return new Map();
    const list = inList(dialect, packageIds);
    text += ` AND package_id IN (${list.text})`;
    params.push(...list.params);
  }
  const rows = (await dialect.selectValuesRaw(tx, text, params)) as IdRow[];
  const byName = namedRows(cache, rows);
  if (byName) return byName;
  await learnCatalogIds(tx, database, cache, rows);
  return namedRows(cache, rows) ?? new Map();
}

/** package_id, package_version_id, upgradable_version_id, upgrade_type (arrays: no object per row). */
type IdRow = [number, number, number | null, string | null];

/** The rows by package name, or undefined if the cache lacks a name or a version. */
function namedRows(cache: CatalogScope, rows: readonly IdRow[]): Map<string, RecordedRow> | undefined {
  const byName = new Map<string, RecordedRow>();
  for (const row of rows) {
    const packageId = row[0];
    const upgradeId = row[2];
    const name = cache.packageName(packageId);
    const version = cache.versionText(row[1]);
    const upgradeVersion = upgradeId === null ? null : cache.versionText(upgradeId);
    if (name === undefined || version === undefined || upgradeVersion === undefined) return undefined;
    byName.set(name, { name, packageId, version, upgradeVersion, upgradeType: row[3] });
  }
  return byName;
}

/** Puts into the cache the package names and version strings of `rows` that it does not know yet. */
async function learnCatalogIds(
  tx: AppDb,
  database: Database,
  cache: CatalogScope,
  rows: readonly IdRow[],
): Promise<void> {
  const names = new Set<number>();
  const versions = new Set<number>();
  for (const row of rows) {
    const upgradeId = row[2];
    if (cache.packageName(row[0]) === undefined) names.add(row[0]);
    if (cache.versionText(row[1]) === undefined) versions.add(row[1]);
    if (upgradeId !== null && cache.versionText(upgradeId) === undefined) versions.add(upgradeId);
  }
  const { dialect } = database;
  for (const batch of batchRows(dialect, [...names], 2)) {
    const list = inList(dialect, batch);
    const found = await dialect.selectRaw<{ id: number; name: string }>(
      tx,
      `SELECT id, name FROM packages WHERE id IN (${list.text})`,
      list.params,
    );
    for (const row of found) cache.set('package', row.name, row.id);
  }
  for (const batch of batchRows(dialect, [...versions], 2)) {
    const list = inList(dialect, batch);
    const found = await dialect.selectRaw<{ id: number; package_id: number; os_id: number; version: string }>(
      tx,
      `SELECT id, package_id, os_id, version FROM package_versions WHERE id IN (${list.text})`,
      list.params,
    );
    for (const row of found) cache.setVersion('version', row.os_id, row.package_id, row.version, row.id);
  }
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

/**
 * Writes `diff` for the owner: resolves the versions it needs on `osId`, upserts, deletes, and
 * records what changed in the packages' counts (./package-count-deltas.ts).
 */
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

  const { dialect } = database;
  const { tableName, ownerColumnName } = rawNamesOf(owner);
  const stamp = dialect.timestampParam(now);
  const deltas = new CountDeltas();
  const upserts = diff.writes.map((row) => {
    const installed = idOf(row.name, row.version);
    const upgrade = row.upgrade ? idOf(row.name, row.upgrade.version) : null;
    const before = recorded.get(row.name);
    if (before) deltas.add(before.packageId, countedOf(before), -1);
    deltas.add(installed.packageId, { upgrade: upgrade !== null, upgradeType: row.upgradeType }, 1);
    return [
      owner.id,
      installed.packageId,
      installed.versionId,
      upgrade?.packageId ?? null,
      upgrade?.versionId ?? null,
      upgrade ? row.upgradeType : null,
      stamp,
      stamp,
    ];
  });
  // Same order everywhere, so that concurrent writers take row locks in one order.
  upserts.sort((a, b) => (a[1] as number) - (b[1] as number));
  const columns = [ownerColumnName, ...PACKAGE_ROW_COLUMNS];
  const upsert = dialect.upsertClause([ownerColumnName, 'package_id'], PACKAGE_ROW_UPDATES);
  await insertRaw(dialect, tx, tableName, columns, upserts, upsert);

  const removedIds = diff.removals
    .map((name) => recorded.get(name)?.packageId)
    .filter((id) => id !== undefined);
  for (const batch of batchRows(dialect, removedIds, 2)) {
    const list = inList(dialect, batch);
    await dialect.runRaw(
      tx,
      `DELETE FROM ${tableName} WHERE ${ownerColumnName} = ? AND package_id IN (${list.text})`,
      [owner.id, ...list.params],
    );
  }
  for (const name of diff.removals) {
    const before = recorded.get(name);
    if (before) deltas.add(before.packageId, countedOf(before), -1);
  }
  await recordCountDeltas(tx, database, deltas);
}

const PACKAGE_ROW_COLUMNS = [
  'package_id',
  'package_version_id',
  'upgradable_package_id',
  'upgradable_version_id',
  'upgrade_type',
  'created',
  'modified',
];
const PACKAGE_ROW_UPDATES = [
  'package_version_id',
  'upgradable_package_id',
  'upgradable_version_id',
  'upgrade_type',
  'modified',
];
