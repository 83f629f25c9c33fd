import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accountTokens, users, type AccountTokenPurpose, type AccountTokenRow } from '../schema';

/** Stores a new link's token hash; earlier unused links of the same purpose stop working. */
export async function insertAccountToken(
  tx: DbOrTx,
  params: {
    userId: string;
    purpose: Exclude<AccountTokenPurpose, 'sign_up'>;
    tokenHash: string;
    expiresAt: Date;
  },
): Promise<AccountTokenRow> {
  await tx
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(accountTokens.userId, params.userId),
        eq(accountTokens.purpose, params.purpose),
        isNull(accountTokens.usedAt),
      ),
    );
  const [row] = await tx.insert(accountTokens).values(params).returning();
  return row!;
}

/**
 * Stores a pending sign-up's link with the account it will create. Earlier links for the
 * same email keep working: each is its own sign-up, with its own password.
 */
export async function insertSignUpToken(
  tx: DbOrTx,
  params: { email: string; name: string; passwordHash: string; tokenHash: string; expiresAt: Date },
): Promise<AccountTokenRow> {
  const [row] = await tx
    .insert(accountTokens)
    .values({ ...params, purpose: 'sign_up' })
    .returning();
  return row!;
}

/** Ends every unused sign-up link for `email` (its account now exists). */
export async function endPendingSignUps(tx: DbOrTx, params: { email: string }): Promise<void> {
  await tx
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(accountTokens.email, params.email),
        eq(accountTokens.purpose, 'sign_up'),
        isNull(accountTokens.usedAt),
      ),
    );
}

/**
 * Takes a link: marks it used and returns it, in one statement, so two requests with
 * the same token cannot both succeed. Undefined: unknown, used or expired.
 */
export async function takeAccountToken(
  tx: DbOrTx,
  params: { purpose: AccountTokenPurpose; tokenHash: string },
): Promise<AccountTokenRow | undefined> {
  const [row] = await tx
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(accountTokens.tokenHash, params.tokenHash),
        eq(accountTokens.purpose, params.purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row;
}

/** A link that can still be used (for the mail job: a link used or replaced meanwhile is not sent). */
export async function liveAccountToken(
  db: DbOrTx,
  params: { id: string },
): Promise<AccountTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(accountTokens)
    .where(
      and(
        eq(accountTokens.id, params.id),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return row;
}

/**
 * Sets a user's password hash (a reset, or an accepted invitation): the emailed link
 * proved the address too.
 */
export async function setPasswordHash(
  tx: DbOrTx,
  params: { userId: string; passwordHash: string },
): Promise<void> {
  await tx
    .update(users)
    .set({
      passwordHash: params.passwordHash,
      emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
    })
    .where(eq(users.id, params.userId));
}
