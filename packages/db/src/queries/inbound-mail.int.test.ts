import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inboundMail } from '../schema';
import { createTestDatabase } from '../testing';
import { claimInboundMail, finishInboundMail } from './inbound-mail';

const mail = (messageId: string) => ({
  messageId,
  returnPath: 'a@example.com',
  fromAddress: 'a@example.com',
  recipients: ['support@example.com'],
  subject: 'Hello',
  threadIds: [],
  size: 100,
});

describe('claimInboundMail', () => {
  it('claims a Message-ID once; a failed one, or one left processing by a dead process, is taken over', async () => {
    await using test = await createTestDatabase();
    const first = await claimInboundMail(test.db, mail('<1@example.com>'));
    expect(first?.status).toBe('processing');
    // Being handled (or handled): a re-delivery gets nothing to do.
    expect(await claimInboundMail(test.db, mail('<1@example.com>'))).toBeNull();
    await finishInboundMail(test.db, { id: first!.id, status: 'joined', reason: null });
    expect(await claimInboundMail(test.db, mail('<1@example.com>'))).toBeNull();

    const failed = await claimInboundMail(test.db, mail('<2@example.com>'));
    await finishInboundMail(test.db, { id: failed!.id, status: 'failed', reason: 'db away' });
    expect(await claimInboundMail(test.db, mail('<2@example.com>'))).toMatchObject({
      id: failed!.id,
      status: 'processing',
      reason: null,
    });

    const stuck = await claimInboundMail(test.db, mail('<3@example.com>'));
    await test.db
      .update(inboundMail)
      .set({ receivedAt: sql`now() - interval '11 minutes'` })
      .where(eq(inboundMail.id, stuck!.id));
    expect((await claimInboundMail(test.db, mail('<3@example.com>')))?.id).toBe(stuck!.id);
  });
});
