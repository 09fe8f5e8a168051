/**
 * The source index: every source package with its counts, for the source packages list's count
 * sorts and upgrade filters, the dashboard's "source packages with upgrades" and search results.
 *
 * A source package's counts are derived from its binary packages' counts (./package-index.ts, read
 * from package_counts; docs/architecture.md, "Package counts"), not kept as reports arrive: each
 * count is the largest among its binaries, i.e. the hosts and images that have its most widespread
 * binary installed, or an upgrade (a security upgrade) of it pending. That is exact for the usual
 * advisory (libssl3 is on every host that has any binary of openssl) and a lower bound otherwise;
 * counting distinct hosts per source would need a count kept per source on every report, or a read
 * of the package rows (15 million at 10,000 hosts × 1,500 packages). Deriving costs one pass over the
 * package index plus a walk of src_packages in chunks, with no per-row query and nothing on the
 * report path.
 */
import { asc, between, count } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { CountTriple } from '../counts/package-count-deltas.ts';
import { keysetPages, type SortKey } from './keyset.ts';
import type { PackageIndex } from './package-index.ts';

/** One source package with the counts the list sorts by. */
export interface SourceIndexEntry extends CountTriple {
  id: number;
  name: string;
  /** Its versions (over every OS). */
  versions: number;
}

export interface SourceIndex {
  entries: SourceIndexEntry[];
  takenAt: number;
}

/** Source packages per chunk while building the index. */
const CHUNK = 5000;

/** The largest of each count among the binaries of each source, from the package index. */
export function countsBySource(packages: PackageIndex): Map<number, CountTriple> {
  const result = new Map<number, CountTriple>();
  for (const entry of packages.entries) {
    for (const source of entry.sources) {
      const counts = result.get(source);
      if (!counts)
        result.set(source, {
          installed: entry.installed,
          upgrades: entry.upgrades,
          security: entry.security,
        });
      else {
        counts.installed = Math.max(counts.installed, entry.installed);
        counts.upgrades = Math.max(counts.upgrades, entry.upgrades);
        counts.security = Math.max(counts.security, entry.security);
      }
    }
  }
  return result;
}

/** Builds the source index from the package index and a walk of src_packages, a chunk at a time. */
export async function buildSourceIndex(database: Database, packages: PackageIndex): Promise<SourceIndex> {
  const { db, tables: t } = database;
  const takenAt = Date.now();
  const counts = countsBySource(packages);
  const entries: SourceIndexEntry[] = [];
  const keys: SortKey<{ id: number; name: string }>[] = [{ column: t.srcPackages.id, of: (row) => row.id }];
  const chunks = keysetPages(keys, CHUNK, (position, limit) =>
    db
      .select({ id: t.srcPackages.id, name: t.srcPackages.name })
      .from(t.srcPackages)
      .where(position)
      .orderBy(asc(t.srcPackages.id))
      .limit(limit),
  );
  const spv = t.srcPackageVersions;
  for await (const sources of chunks) {
    const versions = await db
      .select({ id: spv.srcPackageId, n: count() })
      .from(spv)
      .where(between(spv.srcPackageId, sources[0]?.id ?? 0, sources[sources.length - 1]?.id ?? 0))
      .groupBy(spv.srcPackageId);
    const versionCounts = new Map(versions.map((row) => [row.id, row.n]));
    for (const { id, name } of sources)
      entries.push({
        id,
        name,
        ...(counts.get(id) ?? { installed: 0, upgrades: 0, security: 0 }),
        versions: versionCounts.get(id) ?? 0,
      });
  }
  return { entries, takenAt };
}
