/**
 * Sign-in sessions, kept in the database so that every server instance sees the same ones and a
 * sign-out really ends them. Rows hold a SHA-256 of the cookie value, never the value itself.
 */
import { and, eq, gt, lt, or } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';

export interface NewSession {
  tokenHash: string;
  userId: number;
  csrfToken: string;
  /** The absolute end of the session. */
  expires: Date;
}

/** A live session with its active user. */
export interface SessionRecord {
  id: number;
  csrfToken: string;
  lastSeen: Date;
  user: { id: number; username: string; isSuperuser: boolean };
}

/** Stores a new session. */
export async function createSession(
  database: Database,
  session: NewSession,
  now = new Date(),
): Promise<void> {
  const { sessions } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.insert(sessions).values({ ...session, created: now, lastSeen: now });
  });
}

/**
 * Finds the session of a cookie when it is still alive: before its absolute end, used within
 * `idleMs`, and its user active. One query.
 */
export async function findLiveSession(
  database: Database,
  tokenHash: string,
  idleMs: number,
  now = new Date(),
): Promise<SessionRecord | null> {
  const { sessions, users } = database.tables;
  const [row] = await database.db
    .select({
      id: sessions.id,
      csrfToken: sessions.csrfToken,
      lastSeen: sessions.lastSeen,
      userId: users.id,
      username: users.username,
      isSuperuser: users.isSuperuser,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        gt(sessions.expires, now),
        gt(sessions.lastSeen, new Date(now.getTime() - idleMs)),
        eq(users.isActive, true),
      ),
    )
    .limit(1);
  if (!row) return null;
  return {
    id: row.id,
    csrfToken: row.csrfToken,
    lastSeen: row.lastSeen,
    user: { id: row.userId, username: row.username, isSuperuser: Boolean(row.isSuperuser) },
  };
}

/** Marks a session as used now (keeps it from going idle). */
export async function touchSession(database: Database, sessionId: number, now = new Date()): Promise<void> {
  const { sessions } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.update(sessions).set({ lastSeen: now }).where(eq(sessions.id, sessionId));
  });
}

/** Ends the session of a cookie. */
export async function deleteSession(database: Database, tokenHash: string): Promise<void> {
  const { sessions } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  });
}

/** Deletes sessions past their absolute end or idle for longer than `idleMs`. */
export async function purgeDeadSessions(database: Database, idleMs: number, now = new Date()): Promise<void> {
  const { sessions } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db
      .delete(sessions)
      .where(or(lt(sessions.expires, now), lt(sessions.lastSeen, new Date(now.getTime() - idleMs))));
  });
}

/** The id of the session of a cookie, alive or not; null when there is none. */
export async function findSessionId(database: Database, tokenHash: string): Promise<number | null> {
  const { sessions } = database.tables;
  const [row] = await database.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  return row?.id ?? null;
}
