import type { Role } from './schema';

/**
 * Who is acting or looking: the signed-in user as every layer sees them. Customers
 * see their own tickets and public messages only; agents and admins see every ticket
 * and internal notes.
 */
export type Viewer = {
  id: string;
  name: string;
  role: Role;
  /**
   * A chat-widget guest (always a customer): the hash of their guest session. They see
   * only the tickets started from that session, not every ticket of their contact.
   */
  guestSessionId?: string;
};

/** Agents and admins work the queue; customers only their own tickets. */
export const isAgent = (viewer: Pick<Viewer, 'role'>): boolean => viewer.role !== 'customer';
