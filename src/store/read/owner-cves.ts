/**
 * The CVE section of a host or image page (docs/cve.md): one query for the owner's source versions
 * (installed and pending), one for the current feed's rows of its release and sources, compared in
 * memory by domain/cve-exposure.ts.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { assessExposure, type Exposure } from '../../domain/cve-exposure.ts';
import {
  asLinuxSource,
  isKernelSource,
  runningKernelVersion,
  sourcesToMatch,
} from '../../domain/cve-sources.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import { currentFeed } from '../cve/feed-dataset.ts';
import { readReleaseRows } from '../cve/release-rows.ts';

export interface OwnerCves {
  /** When the feed was published (or imported); null before the first import. */
  feedTime: Date | null;
  /** The tracker's codename of the owner's OS; null when it is not a known Debian release. */
  release: string | null;
  /** Whether the current feed holds the release (an end-of-life release is not covered). */
  covered: boolean;
  /** Null unless covered. */
  exposure: Exposure | null;
}

export interface CveOwner {
  kind: 'host' | 'image';
  id: number;
  os: string;
  /** A host's running kernel banner (`uname -v`). */
  kernelBanner?: string | null;
}

export async function readOwnerCves(database: Database, owner: CveOwner): Promise<OwnerCves> {
  const feed = await currentFeed(database);
  const release = codenameOfOs(owner.os);
  const covered = feed !== null && release !== null && feed.releases.includes(release);
  const result = { feedTime: feed?.feedTime ?? null, release, covered, exposure: null };
  if (!feed || !release || !covered) return result;

  const { installed, upgrades } = await readOwnerSources(database, owner);
  const sources = sourcesToMatch({
    sources: installed,
    kind: owner.kind,
    runningKernel: owner.kernelBanner ? runningKernelVersion(owner.kernelBanner) : null,
  });
  const rows = await readReleaseRows(database, database.sql, feed.id, release, [
    ...new Set(sources.map((s) => s.name)),
  ]);
  return { ...result, exposure: assessExposure(sources, rows, upgrades) };
}

/** The owner's installed source pairs, and per source the source versions pending upgrades bring. */
async function readOwnerSources(database: Database, owner: CveOwner) {
  const {
    hostPackages,
    imagePackages,
    packageVersions: v,
    srcPackageVersions: sv,
    srcPackages: s,
  } = database.tables;
  const table = owner.kind === 'host' ? hostPackages : (imagePackages as unknown as typeof hostPackages);
  const ownerColumn = owner.kind === 'host' ? hostPackages.hostId : imagePackages.imageId;
  const rows = await database.sql.selectSql<{
    source: string;
    version: string;
    upgrade_source: string | null;
    upgrade_version: string | null;
  }>(
    sql`SELECT s.${sql.identifier(s.name.name)} AS source, sv.${sql.identifier(sv.version.name)} AS version,
          us.${sql.identifier(s.name.name)} AS upgrade_source, usv.${sql.identifier(sv.version.name)} AS upgrade_version
        FROM ${table} r
        JOIN ${v} iv ON iv.id = r.${sql.identifier(table.packageVersionId.name)}
        JOIN ${sv} sv ON sv.id = iv.${sql.identifier(v.srcPackageVersionId.name)}
        JOIN ${s} s ON s.id = sv.${sql.identifier(sv.srcPackageId.name)}
        LEFT JOIN ${v} u ON u.id = r.${sql.identifier(table.upgradableVersionId.name)}
        LEFT JOIN ${sv} usv ON usv.id = u.${sql.identifier(v.srcPackageVersionId.name)}
        LEFT JOIN ${s} us ON us.id = usv.${sql.identifier(sv.srcPackageId.name)}
        WHERE r.${sql.identifier(ownerColumn.name)} = ${owner.id}`,
  );
  const installed = rows.map((row) => ({ name: row.source, version: row.version }));
  const upgrades = new Map<string, string[]>();
  const add = (source: { name: string; version: string }) => {
    // Kernel packages install kernels beside the running one: newer ones count for `linux`, after a reboot.
    const { name, version } = isKernelSource(source.name) ? asLinuxSource(source) : source;
    upgrades.set(name, [...(upgrades.get(name) ?? []), version]);
  };
  for (const row of rows) {
    if (isKernelSource(row.source)) add({ name: row.source, version: row.version });
    if (row.upgrade_source !== null && row.upgrade_version !== null)
      add({ name: row.upgrade_source, version: row.upgrade_version });
  }
  return { installed, upgrades };
}
