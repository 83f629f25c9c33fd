import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accountTokens, users, type AccountTokenPurpose, type AccountTokenRow } from '../schema';

/** Stores a new link's token hash; earlier unused links of the same purpose stop working. */
export async function insertAccountToken(
  tx: DbOrTx,
  params: { userId: string; purpose: AccountTokenPurpose; tokenHash: string; expiresAt: Date },
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
 * Takes a link: marks it used and returns its user's id, in one statement, so two
 * requests with the same token cannot both succeed. Undefined: unknown, used or expired.
 */
export async function takeAccountToken(
  tx: DbOrTx,
  params: { purpose: AccountTokenPurpose; tokenHash: string },
): Promise<string | undefined> {
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
    .returning({ userId: accountTokens.userId });
  return row?.userId;
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

/** Sets a user's password hash (a reset, or an accepted invitation). */
export async function setPasswordHash(
  tx: DbOrTx,
  params: { userId: string; passwordHash: string },
): Promise<void> {
  await tx
    .update(users)
    .set({ passwordHash: params.passwordHash })
    .where(eq(users.id, params.userId));
}
