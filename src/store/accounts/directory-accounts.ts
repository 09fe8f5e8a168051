/**
 * What LDAP sign-in changes on an account beyond what users.ts offers: the superuser flag, which
 * the directory's groups decide at each sign-in, and the end of every session of an account whose
 * user the directory no longer lets in.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';

/** Sets an account's superuser flag. */
export async function setUserSuperuser(
  database: Database,
  userId: number,
  isSuperuser: boolean,
): Promise<void> {
  const { users } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.update(users).set({ isSuperuser }).where(eq(users.id, userId));
  });
}

/** Ends every session of an account. */
export async function endSessionsOf(database: Database, userId: number): Promise<void> {
  const { sessions } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.delete(sessions).where(eq(sessions.userId, userId));
  });
}
