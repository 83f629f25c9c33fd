import {
  getUserByEmail,
  getUserById,
  insertAccountToken,
  insertUser,
  setPasswordHash,
  takeAccountToken,
  type Db,
  type DbOrTx,
  type UserRow,
} from '@parley/db';
import { hashPassword } from '../auth/passwords';
import { hashToken } from '../auth/hashed-adapter';
import { AppError } from '../errors';
import { queueAccountEmail } from './account-mail';
import { linkLifetimeMs, newLinkToken } from './link-tokens';

/**
 * Emails a reset link to the account of `email`, if there is one that can sign in.
 * The caller answers the same whatever happened: nobody learns whether an email has
 * an account.
 */
export async function requestPasswordReset(db: Db, email: string): Promise<void> {
  const user = await getUserByEmail(db, { email });
  if (!user || user.disabledAt || user.passwordHash === null) return;
  const { token, hash } = newLinkToken();
  await db.transaction(async (tx) => {
    const row = await insertAccountToken(tx, {
      userId: user.id,
      purpose: 'password_reset',
      tokenHash: hash,
      expiresAt: new Date(Date.now() + linkLifetimeMs.password_reset),
    });
    await queueAccountEmail(tx, {
      kind: 'password_reset',
      userId: user.id,
      tokenId: row.id,
      token,
    });
  });
}

const badLink = (what: string) =>
  new AppError(
    'BAD_REQUEST',
    `This ${what} link has expired or was already used. Ask for a new one.`,
  );

/**
 * Sets a new password through a link: the link is taken (once), the password set, and
 * the owner told by email, all in one transaction. The caller ends every session.
 */
export async function resetPassword(
  db: Db,
  params: { token: string; password: string },
): Promise<UserRow> {
  return setPasswordByLink(db, 'password_reset', params, async (tx, user) => {
    await queueAccountEmail(tx, {
      kind: 'password_changed',
      userId: user.id,
      at: new Date().toISOString(),
    });
  });
}

/**
 * Invites a team member: an account without a password (it cannot sign in yet) and an
 * emailed link to choose one. Inviting again someone who has not joined sends a new
 * link (the old one stops working); an email with an account is CONFLICT.
 */
export async function inviteTeamMember(
  db: Db,
  params: { email: string; name: string; role: 'agent' | 'admin'; inviter: string },
): Promise<UserRow> {
  const { token, hash } = newLinkToken();
  return db.transaction(async (tx) => {
    let user = await insertUser(tx, {
      email: params.email,
      name: params.name,
      role: params.role,
      passwordHash: null,
    });
    if (!user) {
      const existing = await getUserByEmail(tx, { email: params.email });
      // Someone invited earlier who has not joined yet: a fresh link.
      if (!existing || existing.passwordHash !== null || existing.role === 'customer') {
        throw new AppError('CONFLICT', 'An account with this email already exists', {
          fieldErrors: { email: ['An account with this email already exists'] },
        });
      }
      user = existing;
    }
    const row = await insertAccountToken(tx, {
      userId: user.id,
      purpose: 'invite',
      tokenHash: hash,
      expiresAt: new Date(Date.now() + linkLifetimeMs.invite),
    });
    await queueAccountEmail(tx, {
      kind: 'invite',
      userId: user.id,
      tokenId: row.id,
      token,
      inviter: params.inviter,
    });
    return user;
  });
}

/** Joins through an invitation: the link is taken (once) and the password set. */
export async function acceptInvite(
  db: Db,
  params: { token: string; password: string },
): Promise<UserRow> {
  return setPasswordByLink(db, 'invite', params);
}

/**
 * The one way a link sets a password: in one transaction the link is taken (once), the
 * password set, and `also` done; an unknown, used, replaced or expired link, or a
 * disabled account, is BAD_REQUEST.
 */
async function setPasswordByLink(
  db: Db,
  purpose: 'password_reset' | 'invite',
  params: { token: string; password: string },
  also?: (tx: DbOrTx, user: UserRow) => Promise<void>,
): Promise<UserRow> {
  const passwordHash = await hashPassword(params.password);
  const user = await db.transaction(async (tx) => {
    const link = await takeAccountToken(tx, { purpose, tokenHash: hashToken(params.token) });
    const found = link?.userId ? await getUserById(tx, { id: link.userId }) : undefined;
    if (!found || found.disabledAt) throw badLink(purpose === 'invite' ? 'invitation' : 'reset');
    await setPasswordHash(tx, { userId: found.id, passwordHash });
    await also?.(tx, found);
    return found;
  });
  return { ...user, passwordHash };
}
