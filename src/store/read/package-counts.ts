/**
 * Exact per-package counts (host rows plus image rows; docs/architecture.md, "Package counts"). Where
 * reports add their deltas in place (SQLite), package_counts is the answer. Where they append them
 * (MySQL, ../counts/package-count-writer.ts), it is the folded base plus the deltas not folded yet,
 * summed in one statement, so that it reads one snapshot in which a fold has either committed or
 * not (../counts/package-count-fold.ts). The pending deltas are few (a fold runs about every
 * second), so the cost does not grow with the fleet.
 */
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { inList } from '../../db/sql-runner.ts';
import { type CountTriple, countsOf, type PackageCountRow } from '../counts/package-count-deltas.ts';

/** A package's installed, upgrade and security counts. */
export type PackageCounts = CountTriple;

/**
 * The counts of the given package ids (every id gets an entry, zeros when nothing counts it), or of
 * every package with a count row (or a pending delta) when `ids` is left out.
 */
export async function readPackageCounts(
  database: Database,
  ids?: readonly number[],
): Promise<Map<number, PackageCounts>> {
  const result = new Map<number, PackageCounts>(
    (ids ?? []).map((id) => [id, { installed: 0, upgrades: 0, security: 0 }]),
  );
  if (ids?.length === 0) return result;
  const list = ids ? inList(database.capabilities, ids) : undefined;
  const countsOfTable = (
    table: typeof database.tables.packageCounts | typeof database.tables.packageCountDeltas,
  ) => {
    const c = sqlNames(table);
    return `SELECT ${c.packageId} AS package_id, ${c.installed} AS installed, ${c.upgrades} AS upgrades,
                   ${c.security} AS security
            FROM ${c.$table}${list ? ` WHERE ${c.packageId} IN (${list.text})` : ''}`;
  };
  const base = countsOfTable(database.tables.packageCounts);
  const rows = database.capabilities.serialWriters
    ? await database.sql.select<PackageCountRow>(base, list?.params ?? [])
    : await database.sql.select<PackageCountRow>(
        `SELECT package_id, sum(installed) AS installed, sum(upgrades) AS upgrades, sum(security) AS security
         FROM (${base} UNION ALL ${countsOfTable(database.tables.packageCountDeltas)}) counts
         GROUP BY package_id`,
        list ? [...list.params, ...list.params] : [],
      );
  for (const row of rows) result.set(Number(row.package_id), countsOf(row));
  return result;
}
