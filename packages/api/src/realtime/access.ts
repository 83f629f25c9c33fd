import { tickets, type Db } from '@parley/db';
import { eq } from 'drizzle-orm';
import type { SessionUser } from '../auth/auth';
import { notFound } from '../errors';

/**
 * Throws NOT_FOUND unless the user may see the ticket (its customer, or an agent):
 * a customer never learns whether another customer's ticket exists.
 */
export async function assertTicketVisible(
  db: Db,
  user: SessionUser,
  ticketId: string,
): Promise<void> {
  const [row] = await db
    .select({ customerId: tickets.customerId })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
    .limit(1);
  if (!row || (user.role === 'customer' && row.customerId !== user.id)) throw notFound();
}
