import { and, asc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { users, type Role, type UserRow } from '../schema';

export async function getUserByEmail(
  db: DbOrTx,
  params: { email: string },
): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, params.email)).limit(1);
  return row;
}

export async function getUserById(
  db: DbOrTx,
  params: { id: string },
): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, params.id)).limit(1);
  return row;
}

export type NewUser = {
  email: string;
  name: string;
  role: Role;
  passwordHash: string | null;
  emailVerifiedAt?: Date;
};

/** Inserts a user; returns undefined when the email is already registered. */
export async function insertUser(db: DbOrTx, user: NewUser): Promise<UserRow | undefined> {
  const [row] = await db.insert(users).values(user).onConflictDoNothing().returning();
  return row;
}

/**
 * Turns a guest contact (a chat visitor: a customer without a password) into an account
 * that signs in, keeping the row and so every conversation it started. Undefined when
 * the email has no such contact (none, an account already, or disabled).
 */
export async function claimGuestContact(
  db: DbOrTx,
  params: { email: string; name: string; passwordHash: string },
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ name: params.name, passwordHash: params.passwordHash, emailVerifiedAt: sql`now()` })
    .where(
      and(
        eq(users.email, params.email),
        eq(users.role, 'customer'),
        isNull(users.passwordHash),
        isNull(users.disabledAt),
      ),
    )
    .returning();
  return row;
}

export async function updateUser(
  db: DbOrTx,
  params: { id: string; changes: { role?: Role; disabledAt?: Date | null; name?: string } },
): Promise<UserRow | undefined> {
  const { id, changes } = params;
  // Nothing to change is not an error: answer with the user as they are.
  if (Object.values(changes).every((value) => value === undefined)) return getUserById(db, { id });
  const [row] = await db.update(users).set(changes).where(eq(users.id, id)).returning();
  return row;
}

export type ListUsersParams = {
  roles?: Role[];
  q?: string;
  includeDisabled?: boolean;
  limit?: number;
};

/** Users by role and a name/email search, alphabetical. */
export async function listUsers(db: DbOrTx, params: ListUsersParams): Promise<UserRow[]> {
  const where: SQL[] = [];
  if (params.roles?.length) where.push(inArray(users.role, params.roles));
  if (!params.includeDisabled) where.push(isNull(users.disabledAt));
  if (params.q) {
    const pattern = `%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = or(ilike(users.name, pattern), ilike(users.email, pattern));
    if (match) where.push(match);
  }
  return db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(sql`lower(${users.name})`), asc(users.id))
    .limit(params.limit ?? 200);
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}
