import type { Role, UserRow } from '@parley/db';

/** `User` of api.md: what any signed-in caller may learn about a user. */
export type User = { id: string; email: string; name: string; role: Role; createdAt: string };
/** What admins see in user management. */
export type ManagedUser = User & { disabled: boolean };

export function toUser(row: Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'createdAt'>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toManagedUser(row: UserRow): ManagedUser {
  return { ...toUser(row), disabled: row.disabledAt !== null };
}
