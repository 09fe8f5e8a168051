/**
 * Enrollment tokens (docs/protocol.md, "Enrollment"): rows hold a SHA-256 of the token, its host
 * pattern, the uses left and the expiry. A use is taken in the transaction that records the
 * certificate it paid for (./issued-certificates.ts).
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';

export interface NewEnrollToken {
  tokenHash: string;
  hostPattern: string;
  uses: number;
  expires: Date;
}

export interface EnrollTokenRecord {
  id: number;
  hostPattern: string;
  usesLeft: number;
  expires: Date;
  created: Date;
}

/** Stores a token; returns its id. */
export async function createEnrollToken(
  database: Database,
  token: NewEnrollToken,
  now = new Date(),
): Promise<number> {
  const { enrollTokens } = database.tables;
  return database.transaction(async (tx) => {
    await tx.db.insert(enrollTokens).values({
      tokenHash: token.tokenHash,
      hostPattern: token.hostPattern,
      usesLeft: token.uses,
      expires: token.expires,
      created: now,
    });
    const [row] = await tx.db
      .select({ id: enrollTokens.id })
      .from(enrollTokens)
      .where(eq(enrollTokens.tokenHash, token.tokenHash));
    return row?.id ?? 0;
  });
}

/** The token with this hash, used up or expired alike; null when there is none. */
export async function findEnrollToken(
  database: Database,
  tokenHash: string,
): Promise<EnrollTokenRecord | null> {
  const { enrollTokens } = database.tables;
  const [row] = await database.db
    .select(recordColumns(database))
    .from(enrollTokens)
    .where(eq(enrollTokens.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

/** Every token, oldest first. */
export async function listEnrollTokens(database: Database): Promise<EnrollTokenRecord[]> {
  const { enrollTokens } = database.tables;
  return database.db.select(recordColumns(database)).from(enrollTokens).orderBy(asc(enrollTokens.id));
}

/** Deletes a token; false when there was none with this id. */
export async function deleteEnrollToken(database: Database, id: number): Promise<boolean> {
  const { enrollTokens } = database.tables;
  return database.transaction(async (tx) => {
    const [row] = await tx.db
      .select({ id: enrollTokens.id })
      .from(enrollTokens)
      .where(eq(enrollTokens.id, id));
    if (!row) return false;
    await tx.db.delete(enrollTokens).where(eq(enrollTokens.id, id));
    return true;
  });
}

/** The columns of an EnrollTokenRecord. */
function recordColumns(database: Database) {
  const { enrollTokens } = database.tables;
  return {
    id: enrollTokens.id,
    hostPattern: enrollTokens.hostPattern,
    usesLeft: enrollTokens.usesLeft,
    expires: enrollTokens.expires,
    created: enrollTokens.created,
  };
}
