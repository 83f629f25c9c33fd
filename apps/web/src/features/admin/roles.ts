import type { Role } from '../../api/types';

export const roleLabel: Record<Role, string> = {
  customer: 'Customer',
  agent: 'Agent',
  admin: 'Admin',
};

const rank: Record<Role, number> = { customer: 0, agent: 1, admin: 2 };

/** Taking rights away (admin → agent, anyone → customer): asked for before it happens. */
export function isDemotion(from: Role, to: Role): boolean {
  return rank[to] < rank[from];
}

/** "an agent", "an admin", "a customer". */
export function withArticle(role: Role): string {
  return `${role === 'customer' ? 'a' : 'an'} ${role}`;
}

/** The People page's "Show" filter: its value in the address, and the roles it lists. */
export const roleFilters: { value: string; label: string; roles?: Role[] }[] = [
  { value: '', label: 'Everyone' },
  { value: 'team', label: 'Agents and admins', roles: ['agent', 'admin'] },
  { value: 'agent', label: 'Agents', roles: ['agent'] },
  { value: 'admin', label: 'Admins', roles: ['admin'] },
  { value: 'customer', label: 'Customers', roles: ['customer'] },
];
