import {
  claimGuestContact,
  endPendingSignUps,
  getUserByEmail,
  insertSignUpToken,
  insertUser,
  takeAccountToken,
  type Db,
  type UserRow,
} from '@parley/db';
import { hashToken } from '../auth/hashed-adapter';
import { hashPassword } from '../auth/passwords';
import { AppError } from '../errors';
import { queueAccountEmail } from './account-mail';
import { linkLifetimeMs, newLinkToken } from './link-tokens';

/**
 * A guest contact (a chat visitor: a customer without a password) is not an account
 * yet: signing up with its email turns it into one, conversations included.
 */
const isGuestContact = (user: UserRow) =>
  user.role === 'customer' && user.passwordHash === null && user.disabledAt === null;

/**
 * Asks for an account by email. Whatever the email, the password is hashed and one
 * email queued, so the caller's answer is the same, and takes as long: the email's owner
 * gets a link to finish creating the account, or, when it has one, a note that someone
 * tried (with links to sign in and to reset the password). Nothing can sign in until
 * the link is used.
 */
export async function requestSignUp(
  db: Db,
  input: { email: string; name: string; password: string },
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const existing = await getUserByEmail(db, { email: input.email });
  await db.transaction(async (tx) => {
    if (existing && !isGuestContact(existing)) {
      await queueAccountEmail(tx, {
        kind: 'sign_up_existing',
        userId: existing.id,
        at: new Date().toISOString(),
      });
      return;
    }
    const { token, hash } = newLinkToken();
    const row = await insertSignUpToken(tx, {
      email: input.email,
      name: input.name,
      passwordHash,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + linkLifetimeMs.sign_up),
    });
    await queueAccountEmail(tx, { kind: 'sign_up', tokenId: row.id, token });
  });
}

/** What the sign-up link page says when the link cannot create an account. */
export const signUpLinkFailed =
  'This sign-up link has expired or was already used, or the email already has an account. Sign in, or reset your password if you forgot it.';

/**
 * Finishes a sign-up through its emailed link: in one transaction the link is taken
 * (once) and the customer created with the name and password of that sign-up, or the
 * email's guest contact turned into the account; the email counts as verified and
 * the email's other pending sign-ups end. An unknown, used or expired link, or an
 * email that has an account by now, is BAD_REQUEST (the link is used up either way).
 */
export async function verifySignUp(db: Db, params: { token: string }): Promise<UserRow> {
  const user = await db.transaction(async (tx) => {
    const link = await takeAccountToken(tx, {
      purpose: 'sign_up',
      tokenHash: hashToken(params.token),
    });
    if (!link?.email || !link.name || !link.passwordHash) return undefined;
    const account = { email: link.email, name: link.name, passwordHash: link.passwordHash };
    const created =
      (await insertUser(tx, { ...account, role: 'customer', emailVerifiedAt: new Date() })) ??
      (await claimGuestContact(tx, account));
    if (created) await endPendingSignUps(tx, { email: link.email });
    return created;
  });
  if (!user) throw new AppError('BAD_REQUEST', signUpLinkFailed);
  return user;
}
