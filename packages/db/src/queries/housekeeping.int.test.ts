import { describe, expect, it } from 'vitest';
import { rateLimits, sessions, users } from '../schema';
import { createTestDatabase } from '../testing';
import { deleteExpiredSessions, pruneRateLimits } from './housekeeping';

describe('housekeeping', () => {
  it('deletes expired sessions and stale rate-limit windows, and nothing else', async () => {
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
    expect(await deleteExpiredSessions(test.db)).toBe(1);
    expect(await pruneRateLimits(test.db)).toBe(1);
    expect((await test.db.select().from(sessions)).map((s) => s.id)).toEqual(['live']);
    expect((await test.db.select().from(rateLimits)).map((r) => r.key)).toEqual(['current']);
  });
});
