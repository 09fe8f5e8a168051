/**
 * Failed sign-ins, counted per subject (`user:<name>`, `addr:<ip>` or `device:<hash>`) in the
 * database so that every server instance enforces the same limits.
 */
import { and, count, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';

/** How many failures each subject had since `since`; subjects without failures map to 0. One query. */
export async function countFailuresSince(
  database: Database,
  subjects: string[],
  since: Date,
): Promise<Map<string, number>> {
  const { loginFailures } = database.tables;
  const counts = new Map(subjects.map((subject) => [subject, 0]));
  if (subjects.length === 0) return counts;
  const rows = await database.db
    .select({ subject: loginFailures.subject, total: count() })
    .from(loginFailures)
    .where(and(inArray(loginFailures.subject, subjects), gte(loginFailures.created, since)))
    .groupBy(loginFailures.subject);
  for (const row of rows) counts.set(row.subject, Number(row.total));
  return counts;
}

/**
 * Records one failure for each subject, committed before this resolves so that every instance
 * counts them from then on; returns the rows' ids, so that an attempt can take its rows back.
 */
export async function recordFailures(
  database: Database,
  subjects: string[],
  now = new Date(),
): Promise<number[]> {
  if (subjects.length === 0) return [];
  const f = sqlNames(database.tables.loginFailures);
  const created = database.spelling.timestampParam(now);
  return database.transaction(async (tx) => {
    const ids: number[] = [];
    for (const subject of subjects) {
      ids.push(
        await tx.sql.insertReturningId(`INSERT INTO ${f.$table} (${f.subject}, ${f.created}) VALUES (?, ?)`, [
          subject,
          created,
        ]),
      );
    }
    return ids;
  });
}

/** Deletes the failure rows with these ids. */
export async function deleteFailures(database: Database, ids: number[]): Promise<void> {
  const { loginFailures } = database.tables;
  if (ids.length === 0) return;
  await database.transaction(async (tx) => {
    await tx.db.delete(loginFailures).where(inArray(loginFailures.id, ids));
  });
}

/** Forgets the failures of one subject (an account after a successful sign-in). */
export async function clearFailures(database: Database, subject: string): Promise<void> {
  const { loginFailures } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.delete(loginFailures).where(eq(loginFailures.subject, subject));
  });
}

/** Deletes failures older than `before`; they no longer count. */
export async function purgeFailuresBefore(database: Database, before: Date): Promise<void> {
  const { loginFailures } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.delete(loginFailures).where(lt(loginFailures.created, before));
  });
}
