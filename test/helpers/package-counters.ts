/** The packages' counters as stored, and as a recount from the host and image rows gives them. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/open-database.ts';

/** `name → [installed, upgrades, security]`, for every package, sorted by name. */
export type PackageCounterMap = Record<string, [number, number, number]>;

/** The stored counters of every package. */
export async function readPackageCounters(database: Database): Promise<PackageCounterMap> {
  const rows = await database.dialect.selectRows<Record<string, unknown>>(
    database.db,
    sql`SELECT name, installed_count AS i, upgrade_count AS u, security_count AS s FROM packages ORDER BY name`,
  );
  return Object.fromEntries(
    rows.map((row) => [String(row.name), [Number(row.i), Number(row.u), Number(row.s)]]),
  );
}

/** The counters of every package recounted from the rows (the definitions of spec §3.5 item 6). */
export async function recountPackageCounters(database: Database): Promise<PackageCounterMap> {
  const rows = await database.dialect.selectRows<Record<string, unknown>>(
    database.db,
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
