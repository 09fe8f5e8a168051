/** Locking the host or image row a report writes, so that reports for it serialize everywhere. */
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import { TransientConflictError } from './report-errors.ts';

/** The locked row: its id, the OS it was recorded with and its package counters. */
export interface LockedOwner {
  id: number;
  osId: number;
  counts: { packages: number; upgrades: number; security: number };
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
  const text = `SELECT id, os_id, package_count, upgrade_count, security_count FROM ${kind === 'host' ? 'hosts' : 'images'}
                WHERE name = ?${database.dialect.forUpdateClause}`;
  const select = async () =>
    (
      await database.dialect.selectRaw<{
        id: number;
        os_id: number;
        package_count: number;
        upgrade_count: number;
        security_count: number;
      }>(tx, text, [name])
    )[0];
  let row = await select();
  if (!row) {
    await database.dialect.insertIgnore(tx, table, [{ name, ...initial }]);
    row = await select();
  }
  if (!row) throw new TransientConflictError(`${kind} '${name}' vanished while being created`);
  return {
    id: Number(row.id),
    osId: Number(row.os_id),
    counts: {
      packages: Number(row.package_count),
      upgrades: Number(row.upgrade_count),
      security: Number(row.security_count),
    },
  };
}
