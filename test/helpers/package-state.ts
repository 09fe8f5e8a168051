/** Reads back a host's or image's package rows as plain tuples, to assert the state a report left. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/open-database.ts';

/** `[package, installed, candidate | null, upgrade type | null]`, sorted by package name. */
export type PackageTuple = [string, string, string | null, string | null];

export interface OwnerState {
  os: string;
  kernel?: string;
  modified: Date;
  counts: [number, number, number];
  rows: PackageTuple[];
  /** The OS of every installed and candidate version of the rows (invariant: all equal `os`). */
  rowOses: string[];
}

/** The state of host or image `name`, or undefined if it does not exist. */
export async function readOwnerState(
  database: Database,
  kind: 'host' | 'image',
  name: string,
): Promise<OwnerState | undefined> {
  const t = database.tables;
  const owner = kind === 'host' ? t.hosts : t.images;
  const rowsTable = kind === 'host' ? t.hostPackages : t.imagePackages;
  const ownerColumn = kind === 'host' ? 'host_id' : 'image_id';
  const [head] = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT o.id, os.name AS os, o.modified, o.package_count, o.upgrade_count, o.security_count
        ${kind === 'host' ? sql`, k.name AS kernel` : sql``}
        FROM ${owner} o JOIN ${t.operatingSystems} os ON os.id = o.os_id
        ${kind === 'host' ? sql`JOIN ${t.kernels} k ON k.id = o.kernel_id` : sql``}
        WHERE o.name = ${name}`,
  );
  if (!head) return undefined;
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT p.name, v.version, u.version AS upgrade, r.upgrade_type, vo.name AS vos, uo.name AS uos,
               r.upgradable_package_id AS upid, r.package_id AS pid
        FROM ${rowsTable} r
        JOIN ${t.packages} p ON p.id = r.package_id
        JOIN ${t.packageVersions} v ON v.id = r.package_version_id
        JOIN ${t.operatingSystems} vo ON vo.id = v.os_id
        LEFT JOIN ${t.packageVersions} u ON u.id = r.upgradable_version_id
        LEFT JOIN ${t.operatingSystems} uo ON uo.id = u.os_id
        WHERE r.${sql.identifier(ownerColumn)} = ${Number(head.id)}
        ORDER BY p.name`,
  );
  const modified = toDate(head.modified);
  return {
    os: String(head.os),
    ...(kind === 'host' ? { kernel: String(head.kernel) } : {}),
    modified,
    counts: [Number(head.package_count), Number(head.upgrade_count), Number(head.security_count)],
    rows: rows.map((r) => [
      String(r.name),
      String(r.version),
      r.upgrade === null ? null : String(r.upgrade),
      r.upgrade_type === null ? null : String(r.upgrade_type),
    ]),
    rowOses: [...new Set(rows.flatMap((r) => [String(r.vos), ...(r.uos === null ? [] : [String(r.uos)])]))],
  };
}

/** Counts rows of every table, to check that a rejected report wrote nothing. */
export async function countAllRows(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [key, table] of Object.entries(database.tables)) {
    const [row] = await database.sql.selectSql<{ n: number }>(sql`SELECT COUNT(*) AS n FROM ${table}`);
    counts[key] = Number(row?.n);
  }
  return counts;
}

/** A timestamp as either driver returns it from raw SQL (ms number, Date, or a UTC DATETIME string). */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && !/^\d+$/.test(value)) return new Date(`${value.replace(' ', 'T')}Z`);
  return new Date(Number(value));
}
