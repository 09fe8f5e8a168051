/**
 * The read snapshots of one database, kept by its store (../store.ts): what pages cannot afford to
 * compute per request (./package-index.ts), and the owner counts the installations page estimates
 * with. Each is refreshed in the background once older than the age its caller accepts.
 */
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import {
  buildHostUpgradeSummary,
  buildPackageIndex,
  HOST_UPGRADES_MAX_AGE_MS,
  type HostUpgradeSummary,
  PACKAGE_INDEX_MAX_AGE_MS,
  PACKAGE_INDEX_WAIT_AFTER_MS,
  type PackageIndex,
} from './package-index.ts';
import { buildSourceIndex, type SourceIndex } from './source-index.ts';

/** How many hosts and images there are. */
export type OwnerCounts = { host: number; image: number };

export interface ReadSnapshots {
  /** Every package with its counts, for the packages list's count sorts and filters. */
  packageIndex(maxAgeMs?: number): Promise<PackageIndex>;
  /** Every source package with its counts, derived from the package index (./source-index.ts). */
  sourceIndex(maxAgeMs?: number): Promise<SourceIndex>;
  /** The dashboard's fleet-wide upgrade figures over host rows. */
  hostUpgradeSummary(maxAgeMs?: number): Promise<HostUpgradeSummary>;
  /** Host and image counts: an estimate's input, so a minute old is recent enough. */
  ownerCounts(): Promise<OwnerCounts>;
  /** Forgets every snapshot, so the next calls rebuild them (after a bulk load, in tests and benchmarks). */
  drop(): void;
}

const OWNER_COUNTS_MAX_AGE_MS = 60_000;

export function createReadSnapshots(database: Database): ReadSnapshots {
  const packageIndex = createSnapshot(() => buildPackageIndex(database), PACKAGE_INDEX_WAIT_AFTER_MS);
  // Built from a package index at most as old as the source index asked for.
  const sourceIndex = createSnapshot(
    async () => buildSourceIndex(database, await packageIndex.get(PACKAGE_INDEX_MAX_AGE_MS)),
    PACKAGE_INDEX_WAIT_AFTER_MS,
  );
  const hostUpgrades = createSnapshot(() => buildHostUpgradeSummary(database), Number.POSITIVE_INFINITY);
  const ownerCounts = createSnapshot(() => selectOwnerCounts(database), 0);
  return {
    packageIndex: (maxAgeMs = PACKAGE_INDEX_MAX_AGE_MS) => packageIndex.get(maxAgeMs),
    sourceIndex: (maxAgeMs = PACKAGE_INDEX_MAX_AGE_MS) => sourceIndex.get(maxAgeMs),
    hostUpgradeSummary: (maxAgeMs = HOST_UPGRADES_MAX_AGE_MS) => hostUpgrades.get(maxAgeMs),
    ownerCounts: () => ownerCounts.get(OWNER_COUNTS_MAX_AGE_MS),
    drop() {
      packageIndex.drop();
      sourceIndex.drop();
      hostUpgrades.drop();
      ownerCounts.drop();
    },
  };
}

async function selectOwnerCounts(database: Database): Promise<OwnerCounts> {
  const count = async (table: string) =>
    Number((await database.sql.select<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0);
  const [host, image] = await Promise.all([
    count(sqlNames(database.tables.hosts).$table),
    count(sqlNames(database.tables.images).$table),
  ]);
  return { host, image };
}

interface Snapshot<T> {
  value: T;
  takenAt: number;
}

/**
 * A value that `build` computes, served while younger than the age a caller accepts. An older one
 * is served while its refresh runs, unless it is older than `waitAfterMs`: then the caller waits.
 */
function createSnapshot<T>(build: () => Promise<T>, waitAfterMs: number) {
  let current: Snapshot<T> | null = null;
  let refreshing: Promise<Snapshot<T>> | null = null;
  // Bumped by drop(), so that a refresh started before it does not bring back what was dropped.
  let generation = 0;
  return {
    async get(maxAgeMs: number): Promise<T> {
      const seen = current;
      const age = seen ? Date.now() - seen.takenAt : Number.POSITIVE_INFINITY;
      if (seen && age <= maxAgeMs) return seen.value;
      if (!refreshing) {
        const started = generation;
        const takenAt = Date.now();
        const refresh = build()
          .then((value) => {
            const snapshot = { value, takenAt };
            if (started === generation) current = snapshot;
            return snapshot;
          })
          .finally(() => {
            if (refreshing === refresh) refreshing = null;
          });
        refreshing = refresh;
        // A failed refresh fails the callers that wait for it; those served a stale snapshot retry later.
        refresh.catch(() => {});
      }
      if (seen && age <= waitAfterMs) return seen.value;
      return (await (refreshing as Promise<Snapshot<T>>)).value;
    },
    drop(): void {
      generation++;
      current = null;
      refreshing = null;
    },
  };
}
