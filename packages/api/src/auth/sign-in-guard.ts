import type { DbOrTx } from '@parley/db';
import type { Context } from '../context';
import {
  clearRateLimit,
  consumeRateLimit,
  countRateLimitHit,
  rateLimitReached,
  rateLimited,
} from '../rate-limit';

/**
 * The sign-in limits (test plan 11 and 30). Wrong passwords are counted per
 * (address, account) and per account; every attempt per address.
 *
 * - An address that guessed wrong too often for one account is held back from that
 *   account; the owner elsewhere is not.
 * - An account guessed at from many addresses is locked for devices it never signed in
 *   from; the right password from a known device gets through and lifts the lock.
 */
export type SignInAttempt = { ctx: Pick<Context, 'db' | 'limits' | 'clientIp'>; email: string };

const keys = ({ ctx, email }: SignInAttempt) => ({
  ip: `sign-in:ip:${ctx.clientIp}`,
  ipAndEmail: `sign-in:failed:ip-email:${ctx.clientIp}:${email}`,
  account: `sign-in:failed:email:${email}`,
});

/** Before the password is checked: throws RATE_LIMITED when this attempt may not be made. */
export async function admitSignIn(attempt: SignInAttempt, knownDevice: boolean): Promise<void> {
  const { db, limits } = attempt.ctx;
  const key = keys(attempt);
  await consumeRateLimit(db, key.ip, limits.signInPerIp);
  if (knownDevice) return;
  const fromHere = await rateLimitReached(db, key.ipAndEmail, limits.signInFailuresPerIpAndEmail);
  if (fromHere !== null) {
    throw rateLimited(fromHere, (wait) => `Too many failed sign-ins. Try again in ${wait}.`);
  }
  const locked = await rateLimitReached(db, key.account, limits.signInFailuresPerAccount);
  if (locked !== null) {
    throw rateLimited(
      locked,
      (wait) =>
        `This account is locked after many failed sign-ins. Try again in ${wait}, or sign in from a device you used before.`,
    );
  }
}

/** A wrong password (or unknown email): counts against the address and the account. */
export async function signInFailed(attempt: SignInAttempt): Promise<void> {
  const { db, limits } = attempt.ctx;
  const key = keys(attempt);
  await countRateLimitHit(db, key.ipAndEmail, limits.signInFailuresPerIpAndEmail);
  await countRateLimitHit(db, key.account, limits.signInFailuresPerAccount);
}

/** The right password: clears this address's failures, and the account lock when from a known device. */
export async function signInSucceeded(attempt: SignInAttempt, knownDevice: boolean): Promise<void> {
  const db: DbOrTx = attempt.ctx.db;
  const key = keys(attempt);
  await clearRateLimit(db, key.ipAndEmail);
  if (knownDevice) await clearRateLimit(db, key.account);
}
