/**
 * The hourly rollup of the hosts' package changes (docs/history.md, "What changed by the hour"): per UTC
 * hour, kind and versions, how many events made that change and when the first and last did. Ingest
 * adds a report's changes in its transaction with one additive upsert; "what changed" reads whole
 * hours from it and only the partial hours at the ends of its range from the events.
 */
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { insertRows, type Transaction } from '../../db/sql-runner.ts';

export const HOUR_MS = 3_600_000;

/** The start of the UTC hour of `ms`. */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** A change as the rollup keys it: version ids, `null` where the change has none. */
export interface HourlyChange {
  kind: string;
  fromVersionId: number | null;
  toVersionId: number | null;
}

/** Adds one host report's changes, all made at `now`, to their hour's rows. */
export async function addChangeHours(
  tx: Transaction,
  database: Database,
  now: Date,
  changes: readonly HourlyChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const h = sqlNames(database.tables.packageChangeHours);
  const { spelling } = database;
  const hour = spelling.timestampParam(new Date(hourOf(now.getTime())));
  const stamp = spelling.timestampParam(now);
  // 0 for no version: the key's columns cannot be NULL. One report has each key at most once (the
  // versions name its package); sorted, so that concurrent reports take the row locks in one order.
  const rows = changes
    .map((change) => [hour, change.kind, change.fromVersionId ?? 0, change.toVersionId ?? 0, 1, stamp, stamp])
    .sort((a, b) => compareKeys(a, b));
  const columns = [h.hour, h.kind, h.fromVersionId, h.toVersionId, h.changes, h.firstChange, h.lastChange];
  const upsert = spelling.rollupClause([h.hour, h.kind, h.fromVersionId, h.toVersionId], {
    add: [h.changes],
    earliest: [h.firstChange],
    latest: [h.lastChange],
  });
  await insertRows(tx.sql, database.capabilities, h.$table, columns, rows, upsert, { oneStatement: true });
}

function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  if (a[1] !== b[1]) return (a[1] as string) < (b[1] as string) ? -1 : 1;
  return (a[2] as number) - (b[2] as number) || (a[3] as number) - (b[3] as number);
}
