import { getUserByEmail } from '@parley/db';
import { z } from 'zod';
import { deviceCookie, isKnownDevice, issueDeviceToken } from '../auth/known-devices';
import { verifyPassword } from '../auth/passwords';
import { admitSignIn, signInFailed, signInSucceeded } from '../auth/sign-in-guard';
import type { Context } from '../context';
import { AppError, unavailable } from '../errors';
import { consumeRateLimit } from '../rate-limit';
import { publicProcedure, router, signedInProcedure } from '../trpc';
import { newUserInput, toUser, userOutput, type User } from '../domain/users';
import {
  acceptInvite,
  requestPasswordReset,
  requestSignUp,
  resetPassword,
  verifySignUp,
} from '../accounts';
import { email, password, text } from '../validation';
import { okOutput } from './ok';

/** A customer's own account: the rules of every new account, and no role to choose. */
export const signUpInput = newUserInput.omit({ role: true });

/** A sign-up link's token; `issueToken` for apps, as for signIn. */
export const verifySignUpInput = z.strictObject({
  token: text(1, 200),
  issueToken: z.boolean().optional(),
});

export const requestPasswordResetInput = z.strictObject({ email });

/** A reset or invitation link's token, with the new password. */
export const linkPasswordInput = z.strictObject({
  token: text(1, 200),
  password,
  issueToken: z.boolean().optional(),
});

export const signInInput = z.strictObject({
  email,
  // Not the sign-up rules: an over-long or odd password is simply wrong.
  password: z.string().min(1, 'Required').max(256, 'At most 256 characters'),
  issueToken: z.boolean().optional(),
  /** For apps without cookies: the `deviceToken` an earlier sign-in returned. */
  deviceToken: z.string().max(200).optional(),
});

/**
 * A new session's user; `token` only for apps that asked for it (`issueToken`), with the
 * device token of a sign-in (cookie clients get it as the `parley_device` cookie).
 */
const sessionOutput = z.object({
  user: userOutput,
  token: z.string().optional(),
  deviceToken: z.string().optional(),
});

/**
 * Starts a session: sets the cookie, and returns the token only to apps that ask (with
 * the device token of a sign-in, which cookie clients get as a cookie).
 */
async function startSession(
  ctx: Context,
  user: User,
  issueToken: boolean | undefined,
  deviceToken?: string,
): Promise<{ user: User; token?: string; deviceToken?: string }> {
  const { token } = await ctx.auth.createSession(user.id);
  ctx.setCookie(ctx.auth.sessionCookie(token));
  if (!issueToken) return { user };
  return deviceToken ? { user, token, deviceToken } : { user, token };
}

export const authRouter = router({
  /**
   * Asks for a customer account: emails the address a link to finish creating it (see
   * `verifySignUp`), or, when it already has an account, a note to its owner. The answer
   * is the same either way, and takes as long: it does not say whether an email has an
   * account. Nobody is signed in yet.
   */
  signUp: publicProcedure
    .input(signUpInput)
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(ctx.db, `sign-up:ip:${ctx.clientIp}`, ctx.limits.signUpPerIp);
      await consumeRateLimit(ctx.db, `sign-up:email:${input.email}`, ctx.limits.signUpPerEmail);
      await requestSignUp(ctx.db, input);
      return { ok: true as const };
    }),

  /**
   * Finishes a sign-up through its emailed link (once, within 24 hours): creates the
   * customer (or turns the email's chat contact into one), marks the email verified and
   * signs in.
   */
  verifySignUp: publicProcedure
    .input(verifySignUpInput)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(
        ctx.db,
        `account-link:ip:${ctx.clientIp}`,
        ctx.limits.accountLinksPerIp,
      );
      const row = await verifySignUp(ctx.db, input);
      return startSession(ctx, toUser(row), input.issueToken);
    }),

  /**
   * Wrong passwords cannot lock the owner out (see auth/sign-in-guard.ts): they hold back
   * the address they come from, and lock the account only for devices it never signed in
   * from. A sign-in sets a device cookie (and returns `deviceToken` to apps that ask for
   * a token) that later gets the right password through such a lock.
   */
  signIn: publicProcedure
    .input(signInInput)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      const attempt = { ctx, email: input.email };
      const row = await getUserByEmail(ctx.db, { email: input.email });
      // A guest contact (a chat visitor) has no password and cannot sign in.
      const knownDevice =
        row?.passwordHash != null
          ? isKnownDevice(input.deviceToken ?? ctx.deviceToken, {
              id: row.id,
              passwordHash: row.passwordHash,
            })
          : false;
      await admitSignIn(attempt, knownDevice);
      // Unknown email, wrong password and disabled account look the same, and take as long.
      const ok = await verifyPassword(row?.passwordHash ?? null, input.password);
      if (!row || !ok || row.disabledAt || row.passwordHash === null) {
        await signInFailed(attempt);
        throw new AppError('UNAUTHORIZED', 'Wrong email or password');
      }
      await signInSucceeded(attempt, knownDevice);
      const deviceToken = issueDeviceToken({ id: row.id, passwordHash: row.passwordHash });
      const started = await startSession(ctx, toUser(row), input.issueToken, deviceToken);
      ctx.setCookie(deviceCookie(deviceToken));
      return started;
    }),

  /**
   * "Forgot your password?": emails a single-use link (30 minutes) to the account, if
   * there is one. The answer is the same either way: it does not say whether an email
   * has an account.
   */
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(ctx.db, `reset:ip:${ctx.clientIp}`, ctx.limits.passwordResetsPerIp);
      await consumeRateLimit(
        ctx.db,
        `reset:email:${input.email}`,
        ctx.limits.passwordResetsPerEmail,
      );
      await requestPasswordReset(ctx.db, input.email);
      return { ok: true as const };
    }),

  /** Sets a new password through the emailed link; every session of the account ends. */
  resetPassword: publicProcedure
    .input(linkPasswordInput)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(
        ctx.db,
        `account-link:ip:${ctx.clientIp}`,
        ctx.limits.accountLinksPerIp,
      );
      const row = await resetPassword(ctx.db, input);
      await ctx.auth.endUserSessions(row.id);
      return startSession(ctx, toUser(row), input.issueToken);
    }),

  /** Joins the team through an invitation: chooses the password and signs in. */
  acceptInvite: publicProcedure
    .input(linkPasswordInput)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(
        ctx.db,
        `account-link:ip:${ctx.clientIp}`,
        ctx.limits.accountLinksPerIp,
      );
      const row = await acceptInvite(ctx.db, input);
      return startSession(ctx, toUser(row), input.issueToken);
    }),

  signOut: signedInProcedure.output(okOutput).mutation(async ({ ctx }) => {
    await ctx.auth.endSession(ctx.session.id);
    ctx.setCookie(ctx.auth.blankCookie());
    return { ok: true as const };
  }),

  signOutEverywhere: signedInProcedure.output(okOutput).mutation(async ({ ctx }) => {
    await ctx.auth.endUserSessions(ctx.user.id);
    ctx.setCookie(ctx.auth.blankCookie());
    return { ok: true as const };
  }),

  me: publicProcedure.output(userOutput.nullable()).query(({ ctx }): User | null => {
    // "Not signed in" only when that is known: an unreachable database is not a sign-out.
    if (!ctx.user && ctx.sessionUnknown) throw unavailable();
    return ctx.user ? toUser(ctx.user) : null;
  }),
});
