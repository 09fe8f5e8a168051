/** Locking the host or image row a report writes, so that reports for it serialize everywhere. */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import { TransientConflictError } from './report-errors.ts';

/** The locked row: its id and the OS it was recorded with. */
export interface LockedOwner {
  id: number;
  osId: number;
}

/**
 * Locks the host or image `name` until the transaction ends, creating it first if needed (with
 * `initial`; the caller then updates it). On MySQL the row lock makes a second report for the same
 * name, on any server instance, wait for this one to commit.
 */
export async function lockOwnerRow(
  tx: AppDb,
  database: Database,
  kind: 'host' | 'image',
  name: string,
  initial: Record<string, unknown>,
): Promise<LockedOwner> {
  const table = kind === 'host' ? database.tables.hosts : database.tables.images;
  const select = async () =>
    (
      await database.dialect.selectRows<{ id: number; os_id: number }>(
        tx,
        sql`SELECT id, os_id FROM ${table} WHERE name = ${name}${database.dialect.forUpdate}`,
      )
    )[0];
  let row = await select();
  if (!row) {
    await database.dialect.insertIgnore(tx, table, [{ name, ...initial }]);
    row = await select();
  }
  if (!row) throw new TransientConflictError(`${kind} '${name}' vanished while being created`);
  return { id: Number(row.id), osId: Number(row.os_id) };
}
