import { insertUser, roles, type Db, type UserRow } from '@parley/db';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords';
import { AppError } from '../errors';
import { email, password, passwordRule, text } from '../validation';

/** `User`: what any signed-in caller may learn about a user. */
export const userOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  createdAt: z.string(),
});

/** What admins see in user management; `invited`: a team member who has not joined yet. */
export const managedUserOutput = userOutput.extend({
  disabled: z.boolean(),
  invited: z.boolean(),
});

export type User = z.infer<typeof userOutput>;
export type ManagedUser = z.infer<typeof managedUserOutput>;

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
  return {
    ...toUser(row),
    disabled: row.disabledAt !== null,
    invited: row.role !== 'customer' && row.passwordHash === null,
  };
}

/** A new account: the one set of rules for sign-up, admins, the CLI and the demo admin. */
export const newUserInput = z.strictObject({
  email,
  name: text(1, 100),
  role: z.enum(roles),
  password,
});

export type NewUserInput = z.input<typeof newUserInput>;

/**
 * Creates an account. The input is checked here (callers outside tRPC, like the CLI,
 * get the same rules): BAD_REQUEST with field errors when it breaks one, CONFLICT when
 * the email is taken.
 */
export async function createUser(db: Db, input: NewUserInput): Promise<UserRow> {
  const parsed = newUserInput.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    const [field, messages] = Object.entries(fieldErrors)[0] ?? ['input', []];
    const message = fieldErrors.password ? passwordRule : `${field}: ${messages[0] ?? 'invalid'}`;
    throw new AppError('BAD_REQUEST', message, { fieldErrors });
  }
  const { email: address, name, role, password: secret } = parsed.data;
  const row = await insertUser(db, {
    email: address,
    name,
    role,
    passwordHash: await hashPassword(secret),
  });
  if (!row) {
    throw new AppError('CONFLICT', 'An account with this email already exists', {
      fieldErrors: { email: ['An account with this email already exists'] },
    });
  }
  return row;
}
