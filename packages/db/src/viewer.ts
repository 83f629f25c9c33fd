import type { Role } from './schema';

/**
 * Who is acting or looking: the signed-in user as every layer sees them. Customers
 * see their own tickets and public messages only; agents and admins see every ticket
 * and internal notes.
 */
export type Viewer = { id: string; name: string; role: Role };

/** Agents and admins work the queue; customers only their own tickets. */
export const isAgent = (viewer: Pick<Viewer, 'role'>): boolean => viewer.role !== 'customer';
