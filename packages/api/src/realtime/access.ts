import { getVisibleTicket, type Db } from '@parley/db';
import type { SessionUser } from '../auth/auth';
import { notFound } from '../errors';
import { isAgent } from './events';

/**
 * Throws NOT_FOUND unless the user may see the ticket (its customer, or an agent):
 * a customer never learns whether another customer's ticket exists.
 */
export async function assertTicketVisible(
  db: Db,
  user: SessionUser,
  ticketId: string,
): Promise<void> {
  const ticket = await getVisibleTicket(db, { id: user.id, isAgent: isAgent(user) }, ticketId);
  if (!ticket) throw notFound();
}
