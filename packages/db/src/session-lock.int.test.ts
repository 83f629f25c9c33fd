import { describe, expect, it } from 'vitest';
import { createDb, closeDb } from './client';
import { createTestDatabase } from './testing';
import { withSessionLock } from './session-lock';

describe('withSessionLock', () => {
  it('lets one holder of a key in at a time, and never takes the whole pool', async () => {
    await using database = await createTestDatabase();
    const db = createDb(database.url, { max: 4 });
    try {
      let inside = 0;
      let most = 0;
      // 12 holders of 12 keys, each needing one more connection for its work: with every
      // connection taken by a lock, the work would wait forever.
      const work = (key: string) =>
        withSessionLock(db, key, async () => {
          inside++;
          most = Math.max(most, inside);
          await db.$client.query('select pg_sleep(0.05)');
          inside--;
        });
      await Promise.all(Array.from({ length: 12 }, (_, i) => work(`key-${i}`)));
      expect(most).toBe(1); // a quarter of a pool of 4

      // One key: strictly one after the other, even with room for more.
      const order: string[] = [];
      const big = createDb(database.url, { max: 20 });
      try {
        await Promise.all(
          ['a', 'b', 'c'].map((name) =>
            withSessionLock(big, 'same', async () => {
              order.push(`${name}+`);
              await big.$client.query('select pg_sleep(0.05)');
              order.push(`${name}-`);
            }),
          ),
        );
      } finally {
        await closeDb(big);
      }
      for (let i = 0; i < order.length; i += 2) {
        expect(order[i]!.at(0)).toBe(order[i + 1]!.at(0));
      }
    } finally {
      await closeDb(db);
    }
  });
});
