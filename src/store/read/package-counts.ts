/**
 * Exact per-package counts (host rows plus image rows; docs/architecture.md, "Package counts"): the
 * folded base (package_counts) plus the deltas not folded yet (package_count_deltas), summed in one
 * statement, so that it reads one snapshot in which a fold has either committed or not
 * (../package-count-fold.ts). The pending deltas are few (a fold runs about every second), so the
 * cost does not grow with the fleet.
 */
import { inList } from '../../db/dialect.ts';
import type { Database } from '../../db/open-database.ts';
import { type CountTriple, countsOf, type PackageCountRow } from '../package-count-deltas.ts';

/** A package's installed, upgrade and security counts. */
export type PackageCounts = CountTriple;

/**
 * The counts of the given package ids (every id gets an entry, zeros when nothing counts it), or of
 * every package with a count row or a pending delta when `ids` is left out.
 */
export async function readPackageCounts(
  database: Database,
  ids?: readonly number[],
): Promise<Map<number, PackageCounts>> {
  const result = new Map<number, PackageCounts>(
    (ids ?? []).map((id) => [id, { installed: 0, upgrades: 0, security: 0 }]),
  );
  if (ids?.length === 0) return result;
  const { dialect } = database;
  const list = ids ? inList(dialect, ids) : undefined;
  const where = list ? ` WHERE package_id IN (${list.text})` : '';
  const rows = await dialect.selectRaw<PackageCountRow>(
    database.db,
    `SELECT package_id, sum(installed) AS installed, sum(upgrades) AS upgrades, sum(security) AS security
     FROM (SELECT package_id, installed, upgrades, security FROM package_counts${where}
           UNION ALL
           SELECT package_id, installed, upgrades, security FROM package_count_deltas${where}) counts
     GROUP BY package_id`,
    list ? [...list.params, ...list.params] : [],
  );
  for (const row of rows) result.set(Number(row.package_id), countsOf(row));
  return result;
}
