import { roles, getUserById, listUsers, updateUser } from '@parley/db';
import { z } from 'zod';
import { AppError, notFound } from '../errors';
import { adminProcedure, agentProcedure, router } from '../trpc';
import {
  createUser,
  managedUserOutput,
  newUserInput,
  toManagedUser,
  toUser,
  userOutput,
} from '../domain/users';
import { inviteTeamMember } from '../accounts';
import { email, text, uuid } from '../validation';

const role = z.enum(roles);

export const listUsersInput = z
  .strictObject({
    role: z.array(role).max(3).optional(),
    q: text(0, 100).optional(),
    /** At most this many (default and maximum 200), by name. */
    limit: z.number().int().min(1).max(200).optional(),
  })
  .optional();

export const createUserInput = newUserInput;

export const updateUserInput = z.strictObject({
  userId: uuid,
  role: role.optional(),
  disabled: z.boolean().optional(),
});

export const inviteUserInput = z.strictObject({
  email,
  name: text(1, 100),
  role: z.enum(['agent', 'admin']),
});

export const usersRouter = router({
  /** Agents pick assignees from this; admins also see disabled accounts (and which they are). */
  list: agentProcedure
    .input(listUsersInput)
    // Admins get `ManagedUser`s (tried first: a plain `User` lacks `disabled`), agents `User`s.
    .output(z.array(z.union([managedUserOutput, userOutput])))
    .query(async ({ ctx, input }) => {
      const rows = await listUsers(ctx.db, {
        ...(input?.role ? { roles: input.role } : {}),
        ...(input?.q ? { q: input.q } : {}),
        ...(input?.limit ? { limit: input.limit } : {}),
        includeDisabled: ctx.user.role === 'admin',
      });
      return rows.map((row) => (ctx.user.role === 'admin' ? toManagedUser(row) : toUser(row)));
    }),

  create: adminProcedure
    .input(createUserInput)
    .output(managedUserOutput)
    .mutation(async ({ ctx, input }) => toManagedUser(await createUser(ctx.db, input))),

  /**
   * Invites a team member by email: an account that cannot sign in until they choose a
   * password through the emailed link (7 days). Again for someone who has not joined:
   * a new link.
   */
  invite: adminProcedure
    .input(inviteUserInput)
    .output(managedUserOutput)
    .mutation(async ({ ctx, input }) =>
      toManagedUser(await inviteTeamMember(ctx.db, { ...input, inviter: ctx.user.name })),
    ),

  /** Changing a role or disabling ends every session of the user (and closes their sockets). */
  update: adminProcedure
    .input(updateUserInput)
    .output(managedUserOutput)
    .mutation(async ({ ctx, input }) => {
      const current = await getUserById(ctx.db, { id: input.userId });
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
        const updated = await updateUser(tx, {
          id: input.userId,
          changes: {
            ...(input.role ? { role: input.role } : {}),
            ...(input.disabled !== undefined
              ? { disabledAt: input.disabled ? (current.disabledAt ?? new Date()) : null }
              : {}),
          },
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
