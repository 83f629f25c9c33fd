import { roles, getUserById, insertUser, listUsers, updateUser } from '@parley/db';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords';
import { AppError, notFound } from '../errors';
import { adminProcedure, agentProcedure, router } from '../trpc';
import { toManagedUser, toUser } from '../domain/users';
import { email, password, text, uuid } from '../validation';

const role = z.enum(roles);

export const listUsersInput = z
  .strictObject({ role: z.array(role).max(3).optional(), q: text(0, 100).optional() })
  .optional();

export const createUserInput = z.strictObject({ email, name: text(1, 100), role, password });

export const updateUserInput = z.strictObject({
  userId: uuid,
  role: role.optional(),
  disabled: z.boolean().optional(),
});

export const usersRouter = router({
  /** Agents pick assignees from this; admins also see disabled accounts. */
  list: agentProcedure.input(listUsersInput).query(async ({ ctx, input }) => {
    const rows = await listUsers(ctx.db, {
      ...(input?.role ? { roles: input.role } : {}),
      ...(input?.q ? { q: input.q } : {}),
      includeDisabled: ctx.user.role === 'admin',
    });
    return rows.map((row) => (ctx.user.role === 'admin' ? toManagedUser(row) : toUser(row)));
  }),

  create: adminProcedure.input(createUserInput).mutation(async ({ ctx, input }) => {
    const row = await insertUser(ctx.db, {
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    if (!row) {
      throw new AppError('CONFLICT', 'An account with this email already exists', {
        fieldErrors: { email: ['An account with this email already exists'] },
      });
    }
    return toManagedUser(row);
  }),

  /** Changing a role or disabling ends every session of the user (and closes their sockets). */
  update: adminProcedure.input(updateUserInput).mutation(async ({ ctx, input }) => {
    const current = await getUserById(ctx.db, input.userId);
    if (!current) throw notFound('User');
    if (
      input.userId === ctx.user.id &&
      (input.disabled || (input.role && input.role !== 'admin'))
    ) {
      throw new AppError('CONFLICT', 'You cannot disable or demote your own account');
    }
    const roleChanged = input.role !== undefined && input.role !== current.role;
    const disabling = input.disabled === true && current.disabledAt === null;
    const row = await ctx.db.transaction(async (tx) => {
      const updated = await updateUser(tx, input.userId, {
        ...(input.role ? { role: input.role } : {}),
        ...(input.disabled !== undefined
          ? { disabledAt: input.disabled ? (current.disabledAt ?? new Date()) : null }
          : {}),
      });
      if (updated && (roleChanged || disabling)) {
        await ctx.auth.closeUserSocketsAtCommit(tx, updated.id);
      }
      return updated;
    });
    if (!row) throw notFound('User');
    if (roleChanged || disabling) await ctx.auth.endUserSessions(row.id);
    return toManagedUser(row);
  }),
});
