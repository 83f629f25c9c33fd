import { roles, staffRoles } from '@parley/contract';
import type { Role } from '../../api/types';

/** The contract lists roles from the fewest rights to the most. */
const rank = (role: Role) => roles.indexOf(role);

/** Taking rights away (admin → agent, anyone → customer): asked for before it happens. */
export function isDemotion(from: Role, to: Role): boolean {
  return rank(to) < rank(from);
}

/** "an agent", "an admin", "a customer". */
export function withArticle(role: Role): string {
  return `${role === 'customer' ? 'a' : 'an'} ${role}`;
}

/** The People page's "Show" filter: its value in the address, and the roles it lists. */
export const roleFilters: { value: string; label: string; roles?: Role[] }[] = [
  { value: '', label: 'Everyone' },
  { value: 'team', label: 'Agents and admins', roles: [...staffRoles] },
  { value: 'agent', label: 'Agents', roles: ['agent'] },
  { value: 'admin', label: 'Admins', roles: ['admin'] },
  { value: 'customer', label: 'Customers', roles: ['customer'] },
];
