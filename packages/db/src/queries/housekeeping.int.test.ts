import { describe, expect, it } from 'vitest';
import { accountTokens, rateLimits, sessions, users } from '../schema';
import { createTestDatabase } from '../testing';
import { deleteExpiredSessions, deleteSpentAccountTokens, pruneRateLimits } from './housekeeping';

describe('housekeeping', () => {
  it('deletes expired sessions, stale rate-limit windows and spent links, and nothing else', async () => {
    await using test = await createTestDatabase();
    const [user] = await test.db
      .insert(users)
      .values({ email: 'h@example.com', name: 'H', passwordHash: 'x' })
      .returning();
    const hour = 3_600_000;
    await test.db.insert(sessions).values([
      { id: 'expired', userId: user!.id, expiresAt: new Date(Date.now() - hour) },
      { id: 'live', userId: user!.id, expiresAt: new Date(Date.now() + hour) },
    ]);
    await test.db.insert(rateLimits).values([
      { key: 'old', windowStart: new Date(Date.now() - 25 * hour), count: 3 },
      { key: 'current', windowStart: new Date(), count: 1 },
    ]);
    const pending = {
      email: 'p@example.com',
      name: 'P',
      passwordHash: 'x',
      purpose: 'sign_up',
    } as const;
    await test.db.insert(accountTokens).values([
      { ...pending, tokenHash: 'expired', expiresAt: new Date(Date.now() - hour) },
      { ...pending, tokenHash: 'used', expiresAt: new Date(Date.now() + hour), usedAt: new Date() },
      { ...pending, tokenHash: 'live', expiresAt: new Date(Date.now() + hour) },
      {
        userId: user!.id,
        purpose: 'password_reset',
        tokenHash: 'live reset',
        expiresAt: new Date(Date.now() + hour),
      },
    ]);
    expect(await deleteSpentAccountTokens(test.db)).toBe(2);
    expect((await test.db.select().from(accountTokens)).map((t) => t.tokenHash).sort()).toEqual([
      'live',
      'live reset',
    ]);
    expect(await deleteExpiredSessions(test.db)).toBe(1);
    expect(await pruneRateLimits(test.db)).toBe(1);
    expect((await test.db.select().from(sessions)).map((s) => s.id)).toEqual(['live']);
    expect((await test.db.select().from(rateLimits)).map((r) => r.key)).toEqual(['current']);
  });
});
