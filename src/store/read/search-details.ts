/**
 * What a page of search hits shows beside each name: a host's or image's package counters, a
 * package's or source package's counts (./package-counts.ts, ./source-packages.ts), a kernel's
 * hosts. One statement per group present on the page, for its ids only.
 */
import { count, inArray } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { readPackageCounts } from './package-counts.ts';
import type { SearchGroup, SearchHit } from './search.ts';
import { readSourceBinaries, sourceCounts } from './source-packages.ts';

/** The hits with their counts (`counts`, or `hosts` for kernels); version hits are left as they are. */
export async function withSearchDetails(database: Database, hits: SearchHit[]): Promise<SearchHit[]> {
  const { db, tables: t } = database;
  const ids = (group: SearchGroup) => hits.filter((hit) => hit.group === group).map((hit) => hit.id);
  const owners = async (table: typeof t.hosts | typeof t.images, list: number[]) =>
    list.length === 0
      ? []
      : db
          .select({
            id: table.id,
            installed: table.packageCount,
            upgrades: table.upgradeCount,
            security: table.securityCount,
          })
          .from(table)
          .where(inArray(table.id, list));
  const kernelIds = ids('kernels');
  const [hosts, images, packages, sources, kernels] = await Promise.all([
    owners(t.hosts, ids('hosts')),
    owners(t.images, ids('images')),
    readPackageCounts(database, ids('packages')),
    readSourceBinaries(database, ids('source-packages')),
    kernelIds.length === 0
      ? []
      : db
          .select({ id: t.hosts.kernelId, n: count() })
          .from(t.hosts)
          .where(inArray(t.hosts.kernelId, kernelIds))
          .groupBy(t.hosts.kernelId),
  ]);
  const hostCounts = new Map(hosts.map(({ id, ...counts }) => [id, counts]));
  const imageCounts = new Map(images.map(({ id, ...counts }) => [id, counts]));
  const kernelHosts = new Map(kernels.map((row) => [row.id, row.n]));
  return hits.map((hit) => {
    switch (hit.group) {
      case 'hosts':
        return { ...hit, counts: hostCounts.get(hit.id) };
      case 'images':
        return { ...hit, counts: imageCounts.get(hit.id) };
      case 'packages':
        return { ...hit, counts: packages.get(hit.id) };
      case 'source-packages':
        return { ...hit, counts: sourceCounts(sources.get(hit.id) ?? []) };
      case 'kernels':
        return { ...hit, hosts: kernelHosts.get(hit.id) ?? 0 };
      default:
        return hit;
    }
  });
}
