/** CAS service tickets already presented, so that a replayed ticket is refused on every instance. */
import { eq, lt } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';

/**
 * Records a ticket (by hash) as used and answers true, or answers false when it was used before.
 * Two instances claiming the same ticket at once: the unique key lets only one insert succeed.
 */
export async function claimTicket(
  database: Database,
  ticketHash: string,
  now = new Date(),
): Promise<boolean> {
  const { usedTickets } = database.tables;
  const [seen] = await database.db
    .select({ id: usedTickets.id })
    .from(usedTickets)
    .where(eq(usedTickets.ticketHash, ticketHash));
  if (seen) return false;
  try {
    await database.transaction(async (tx) => {
      await tx.db.insert(usedTickets).values({ ticketHash, created: now });
    });
    return true;
  } catch (error) {
    const [raced] = await database.db
      .select({ id: usedTickets.id })
      .from(usedTickets)
      .where(eq(usedTickets.ticketHash, ticketHash));
    if (raced) return false;
    throw error;
  }
}

/** Deletes tickets recorded before `before` (CAS tickets expire within minutes anyway). */
export async function purgeTicketsBefore(database: Database, before: Date): Promise<void> {
  const { usedTickets } = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.delete(usedTickets).where(lt(usedTickets.created, before));
  });
}
