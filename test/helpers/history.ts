/** Reads back a host's or image's history and "pending since" facts, to check them against a model. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/open-database.ts';
import { toMillis } from '../../src/lib/raw-timestamp.ts';

export interface EventRow {
  id: number;
  created: number;
  kind: string;
  reportType: string | null;
  name: string | null;
  from: string | null;
  to: string | null;
  detail: string | null;
}

/** The id of host or image `name`, or undefined. */
export async function ownerIdOf(database: Database, kind: 'host' | 'image', name: string) {
  const table = kind === 'host' ? database.tables.hosts : database.tables.images;
  const [row] = await database.sql.selectSql<{ id: number }>(
    sql`SELECT ${table.id} AS id FROM ${table} WHERE ${table.name} = ${name}`,
  );
  return row ? Number(row.id) : undefined;
}

/** Every event of the owner with this id, in id order. */
export async function readEvents(
  database: Database,
  kind: 'host' | 'image',
  ownerId: number,
): Promise<EventRow[]> {
  const t = database.tables;
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT e.id, e.created, e.kind, e.report_type, p.name, f.version AS from_version,
               v.version AS to_version, e.detail
        FROM ${t.packageEvents} e
        LEFT JOIN ${t.packages} p ON p.id = e.package_id
        LEFT JOIN ${t.packageVersions} f ON f.id = e.from_version_id
        LEFT JOIN ${t.packageVersions} v ON v.id = e.to_version_id
        WHERE e.owner_kind = ${kind} AND e.owner_id = ${ownerId}
        ORDER BY e.id`,
  );
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return rows.map((row) => ({
    id: Number(row.id),
    created: toMillis(row.created) as number,
    kind: String(row.kind),
    reportType: text(row.report_type),
    name: text(row.name),
    from: text(row.from_version),
    to: text(row.to_version),
    detail: text(row.detail),
  }));
}

/** Every event of the database, in id order (kind, owner, event kind, detail). */
export async function readAllEvents(database: Database) {
  const e = database.tables.packageEvents;
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT owner_kind, owner_id, kind, detail, created FROM ${e} ORDER BY id`,
  );
  return rows.map((row) => ({
    ownerKind: String(row.owner_kind),
    ownerId: Number(row.owner_id),
    kind: String(row.kind),
    detail: row.detail === null ? null : String(row.detail),
    created: toMillis(row.created) as number,
  }));
}

/** Package rows as `name → installed version`. */
export async function readInstalled(database: Database, kind: 'host' | 'image', ownerId: number) {
  const rows = await readPending(database, kind, ownerId);
  return new Map([...rows].map(([name, row]) => [name, row.version]));
}

/** Package rows with their candidate, its type and since when it is pending. */
export async function readPending(database: Database, kind: 'host' | 'image', ownerId: number) {
  const t = database.tables;
  const rowsTable = kind === 'host' ? t.hostPackages : t.imagePackages;
  const ownerColumn = kind === 'host' ? 'host_id' : 'image_id';
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT p.name, v.version, u.version AS upgrade, r.upgrade_type, r.upgrade_since
        FROM ${rowsTable} r
        JOIN ${t.packages} p ON p.id = r.package_id
        JOIN ${t.packageVersions} v ON v.id = r.package_version_id
        LEFT JOIN ${t.packageVersions} u ON u.id = r.upgradable_version_id
        WHERE r.${sql.identifier(ownerColumn)} = ${ownerId}`,
  );
  return new Map(
    rows.map((row) => [
      String(row.name),
      {
        version: String(row.version),
        upgrade: row.upgrade === null ? null : String(row.upgrade),
        type: row.upgrade_type === null ? null : String(row.upgrade_type),
        since: toMillis(row.upgrade_since),
      },
    ]),
  );
}

/** The owner row's history facts (UTC ms). */
export async function readOwnerHistory(database: Database, kind: 'host' | 'image', ownerId: number) {
  const table = kind === 'host' ? database.tables.hosts : database.tables.images;
  const [row] = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT last_upgraded, security_since FROM ${table} WHERE id = ${ownerId}`,
  );
  return { lastUpgraded: toMillis(row?.last_upgraded), securitySince: toMillis(row?.security_since) };
}

/** One row of the hourly rollup of host changes, or of the events' own grouping by hour. */
export interface ChangeHourRow {
  hour: number;
  kind: string;
  fromVersionId: number;
  toVersionId: number;
  changes: number;
  first: number;
  last: number;
}

const HOUR_MS = 3_600_000;

function sortHours(rows: ChangeHourRow[]): ChangeHourRow[] {
  const key = (row: ChangeHourRow) => [row.hour, row.kind, row.fromVersionId, row.toVersionId].join(' ');
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The rollup's rows, sorted by their key. */
export async function readChangeHours(database: Database): Promise<ChangeHourRow[]> {
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT hour, kind, from_version_id, to_version_id, changes, first_change, last_change
        FROM ${database.tables.packageChangeHours}`,
  );
  return sortHours(
    rows.map((row) => ({
      hour: toMillis(row.hour) as number,
      kind: String(row.kind),
      fromVersionId: Number(row.from_version_id),
      toVersionId: Number(row.to_version_id),
      changes: Number(row.changes),
      first: toMillis(row.first_change) as number,
      last: toMillis(row.last_change) as number,
    })),
  );
}

/** What the rollup should hold: the hosts' package change events grouped here by UTC hour, kind and versions. */
export async function groupEventsByHour(database: Database): Promise<ChangeHourRow[]> {
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT kind, from_version_id, to_version_id, created FROM ${database.tables.packageEvents}
        WHERE owner_kind = 'host' AND kind IN ('installed', 'upgraded', 'downgraded', 'removed')`,
  );
  const groups = new Map<string, ChangeHourRow>();
  for (const row of rows) {
    const created = toMillis(row.created) as number;
    const hour = Math.floor(created / HOUR_MS) * HOUR_MS;
    const fromVersionId = row.from_version_id === null ? 0 : Number(row.from_version_id);
    const toVersionId = row.to_version_id === null ? 0 : Number(row.to_version_id);
    const key = [hour, row.kind, fromVersionId, toVersionId].join(' ');
    const group = groups.get(key);
    if (group) {
      group.changes++;
      group.first = Math.min(group.first, created);
      group.last = Math.max(group.last, created);
    } else
      groups.set(key, {
        hour,
        kind: String(row.kind),
        fromVersionId,
        toVersionId,
        changes: 1,
        first: created,
        last: created,
      });
  }
  return sortHours([...groups.values()]);
}
