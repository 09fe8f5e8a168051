/**
 * The packages' counts as the pages read them (folded base plus pending deltas), as folded alone,
 * and as a recount from the host and image rows gives them.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/open-database.ts';
import { readPackageCounts } from '../../src/store/read/package-counts.ts';

/** `name → [installed, upgrades, security]`, for every package, sorted by name. */
export type PackageCountMap = Record<string, [number, number, number]>;

async function packageNames(database: Database): Promise<{ id: number; name: string }[]> {
  const rows = await database.sql.selectSql<{ id: number; name: string }>(
    sql`SELECT id, name FROM packages ORDER BY name`,
  );
  return rows.map((row) => ({ id: Number(row.id), name: String(row.name) }));
}

/** The exact counts of every package: package_counts plus the pending deltas (what pages show). */
export async function readCountsByName(database: Database): Promise<PackageCountMap> {
  const packages = await packageNames(database);
  const counts = await readPackageCounts(
    database,
    packages.map((p) => p.id),
  );
  return Object.fromEntries(
    packages.map(({ id, name }) => {
      const c = counts.get(id) ?? { installed: 0, upgrades: 0, security: 0 };
      return [name, [c.installed, c.upgrades, c.security]];
    }),
  );
}

/** The folded counts alone (package_counts; zeros for a package without a row). */
export async function readFoldedCounts(database: Database): Promise<PackageCountMap> {
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT p.name, c.installed AS i, c.upgrades AS u, c.security AS s
        FROM packages p LEFT JOIN package_counts c ON c.package_id = p.id ORDER BY p.name`,
  );
  return Object.fromEntries(
    rows.map((row) => [String(row.name), [Number(row.i ?? 0), Number(row.u ?? 0), Number(row.s ?? 0)]]),
  );
}

/** The counts of every package recounted from the rows (the definitions of spec §3.5 item 6). */
export async function recountByName(database: Database): Promise<PackageCountMap> {
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT p.name,
          (SELECT count(*) FROM host_packages x WHERE x.package_id = p.id)
            + (SELECT count(*) FROM image_packages x WHERE x.package_id = p.id) AS i,
          (SELECT count(*) FROM host_packages x WHERE x.upgradable_package_id = p.id)
            + (SELECT count(*) FROM image_packages x WHERE x.upgradable_package_id = p.id) AS u,
          (SELECT count(*) FROM host_packages x WHERE x.upgradable_package_id = p.id AND x.upgrade_type = 'security')
            + (SELECT count(*) FROM image_packages x WHERE x.upgradable_package_id = p.id AND x.upgrade_type = 'security') AS s
        FROM packages p ORDER BY p.name`,
  );
  return Object.fromEntries(
    rows.map((row) => [String(row.name), [Number(row.i), Number(row.u), Number(row.s)]]),
  );
}

/** How many delta rows wait for a fold. */
export async function countPendingDeltas(database: Database): Promise<number> {
  const [row] = await database.sql.selectSql<{ n: number }>(
    sql`SELECT count(*) AS n FROM package_count_deltas`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Moves the base counts back into pending deltas, in one transaction: on SQLite, where reports add to
 * the counts in place, this is what a version that appended deltas left unfolded. With `evenOnly`,
 * only the packages with an even id, so that base and pending split.
 */
export async function unfoldCounts(database: Database, evenOnly = false): Promise<void> {
  const where = evenOnly ? ' WHERE package_id % 2 = 0' : '';
  await database.transaction(async (tx) => {
    await tx.sql.run(
      `INSERT INTO package_count_deltas (package_id, installed, upgrades, security)
       SELECT package_id, installed, upgrades, security FROM package_counts${where}`,
      [],
    );
    await tx.sql.run(`DELETE FROM package_counts${where}`, []);
  });
}
