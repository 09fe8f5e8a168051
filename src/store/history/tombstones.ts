/**
 * Tombstones (docs/history.md): a deleted host or image leaves one `deleted` event with its name and
 * who or what deleted it, written in the deletion's transaction. The owner's other events stay.
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { insertRows } from '../../db/sql-runner.ts';

/** Who deleted: `gc`, `API` (a client certificate) or a signed-in user's name. */
export type DeletedBy = string;

/** The tombstone's text: the owner's name and who deleted it. */
export function tombstoneDetail(name: string, by: DeletedBy): string {
  return `${name} deleted by ${by}`;
}

/** Records one tombstone per deleted owner, in one multi-row INSERT. */
export async function recordTombstones(
  tx: Transaction,
  database: Database,
  kind: 'host' | 'image',
  owners: readonly { id: number; name: string }[],
  by: DeletedBy,
  now: Date,
): Promise<void> {
  const e = sqlNames(database.tables.packageEvents);
  const stamp = database.spelling.timestampParam(now);
  const rows = owners.map((owner) => [kind, owner.id, stamp, 'deleted', tombstoneDetail(owner.name, by)]);
  const columns = [e.ownerKind, e.ownerId, e.created, e.kind, e.detail];
  await insertRows(tx.sql, database.capabilities, e.$table, columns, rows);
}
