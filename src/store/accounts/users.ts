/** The users aggregate: accounts for people (local passwords or CAS), as the web and the CLI use them. */
import { and, asc, count, eq, ne, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/open-database.ts';

/** An account as sign-in needs it, with its password hash. */
export interface UserRecord {
  id: number;
  username: string;
  /** null for accounts that sign in only through CAS. */
  passwordHash: string | null;
  isActive: boolean;
  isSuperuser: boolean;
}

/** An account as lists show it, without its hash. */
export interface UserSummary {
  id: number;
  username: string;
  hasPassword: boolean;
  isActive: boolean;
  isSuperuser: boolean;
  lastLogin: Date | null;
  created: Date;
}

export interface NewUser {
  username: string;
  passwordHash: string | null;
  isSuperuser?: boolean;
}

/** Thrown when creating an account whose name is taken. */
export class UserExistsError extends Error {
  override name = 'UserExistsError';
  constructor(username: string) {
    super(`A user named '${username}' already exists`);
  }
}

/** Finds an account by its exact (case-sensitive) name. */
export function findUserByName(database: Database, username: string): Promise<UserRecord | null> {
  return findUserWhere(database, eq(database.tables.users.username, username));
}

/** Finds an account by id. */
export function findUserById(database: Database, id: number): Promise<UserRecord | null> {
  return findUserWhere(database, eq(database.tables.users.id, id));
}

/** The columns every account query reads. */
function accountColumns(users: Database['tables']['users']) {
  return {
    id: users.id,
    username: users.username,
    passwordHash: users.passwordHash,
    isActive: users.isActive,
    isSuperuser: users.isSuperuser,
  };
}

async function findUserWhere(database: Database, condition: SQL): Promise<UserRecord | null> {
  const { users } = database.tables;
  const [row] = await database.db.select(accountColumns(users)).from(users).where(condition).limit(1);
  return row ? { ...row, isActive: Boolean(row.isActive), isSuperuser: Boolean(row.isSuperuser) } : null;
}

/** Every account, by name. */
export async function listUsers(database: Database): Promise<UserSummary[]> {
  const { users } = database.tables;
  const rows = await database.db
    .select({
      ...accountColumns(users),
      lastLogin: users.lastLogin,
      created: users.created,
    })
    .from(users)
    .orderBy(asc(users.username));
  return rows.map(({ passwordHash, ...row }) => ({
    ...row,
    hasPassword: passwordHash !== null,
    isActive: Boolean(row.isActive),
    isSuperuser: Boolean(row.isSuperuser),
  }));
}

/** How many accounts exist. */
export async function countUsers(database: Database): Promise<number> {
  const [row] = await database.db.select({ total: count() }).from(database.tables.users);
  return Number(row?.total ?? 0);
}

/** Creates an account; throws UserExistsError when the name is taken. Returns its id. */
export function createUser(database: Database, user: NewUser, now = new Date()): Promise<number> {
  const { users } = database.tables;
  return database.transaction(async (tx) => {
    const [existing] = await tx.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, user.username));
    if (existing) throw new UserExistsError(user.username);
    await tx.db.insert(users).values({
      username: user.username,
      passwordHash: user.passwordHash,
      isSuperuser: user.isSuperuser ?? false,
      isActive: true,
      created: now,
    });
    const [created] = await tx.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, user.username));
    if (!created) throw new Error(`The user '${user.username}' vanished while being created`);
    return created.id;
  });
}

/**
 * Creates the account unless one of that name exists, and tells whether this call created it. Safe
 * when several instances start at once: the insert skips on the unique name, and only the caller
 * whose (random, salted) hash was stored answers true.
 */
export async function createUserIfAbsent(
  database: Database,
  user: NewUser & { passwordHash: string },
  now = new Date(),
): Promise<boolean> {
  const { users } = database.tables;
  await database.transaction(async (tx) => {
    await tx.insertIgnore(users, [
      {
        username: user.username,
        passwordHash: user.passwordHash,
        isSuperuser: user.isSuperuser ?? false,
        isActive: true,
        created: now,
      },
    ]);
  });
  const stored = await findUserByName(database, user.username);
  return stored?.passwordHash === user.passwordHash;
}

/**
 * Sets (or, with null, removes) an account's password and ends its sessions, except `keepSessionId`
 * (the session of a user changing their own password). Returns false when the account is missing.
 */
export function setUserPassword(
  database: Database,
  userId: number,
  passwordHash: string | null,
  keepSessionId?: number,
): Promise<boolean> {
  const { users } = database.tables;
  return database.transaction(async (tx) => {
    const [row] = await tx.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!row) return false;
    await tx.db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await deleteSessionsOf(database, tx, userId, keepSessionId);
    return true;
  });
}

/** Enables or disables an account; disabling ends its sessions. Returns false when it is missing. */
export function setUserActive(database: Database, userId: number, active: boolean): Promise<boolean> {
  const { users } = database.tables;
  return database.transaction(async (tx) => {
    const [row] = await tx.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!row) return false;
    await tx.db.update(users).set({ isActive: active }).where(eq(users.id, userId));
    if (!active) await deleteSessionsOf(database, tx, userId);
    return true;
  });
}

/** Deletes an account by name, with its sessions. Returns false when it did not exist. */
export function deleteUserByName(database: Database, username: string): Promise<boolean> {
  const { users } = database.tables;
  return database.transaction(async (tx) => {
    const [row] = await tx.db.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (!row) return false;
    // Explicit, although the foreign key cascades, so the outcome never depends on FK enforcement.
    await deleteSessionsOf(database, tx, row.id);
    await tx.db.delete(users).where(eq(users.id, row.id));
    return true;
  });
}

/** Records the time of a successful sign-in. */
export async function recordLogin(database: Database, userId: number, now = new Date()): Promise<void> {
  const { users } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.update(users).set({ lastLogin: now }).where(eq(users.id, userId));
  });
}

async function deleteSessionsOf(
  database: Database,
  tx: Transaction,
  userId: number,
  keepSessionId?: number,
): Promise<void> {
  const { sessions } = database.tables;
  const ofUser = eq(sessions.userId, userId);
  await tx.db
    .delete(sessions)
    .where(keepSessionId === undefined ? ofUser : and(ofUser, ne(sessions.id, keepSessionId)));
}
