import { randomUUID } from 'node:crypto';
import { createAuth } from '@parley/api';
import { createSupportDeskUsers, ticketInput } from '@parley/api/testing';
import { closeDb, createDb, type Db } from '@parley/db';
import { describe, expect, it } from 'vitest';
import { httpClient } from './testing';
import { startChildServer } from './testing/child-server';
import { engineSettled } from './testing/engine-settled';
import { startOwnPostgres } from './testing/own-postgres';
import { startSmtpInbox } from './testing/smtp-inbox';
import { startWebhookReceiver } from './testing/webhook-receiver';

const tickets = 24;
/** A confirmation and a reply per ticket. */
const expectedEmails = tickets * 2;

/**
 * docs/test-plan.md 55: PostgreSQL restarted while the delivery engine works through a
 * batch of emails and webhooks. A cluster of this test's own is stopped (fast: every
 * connection cut, the job runners' included, some in the middle of a job) and started
 * again on the same port. Receivers count by idempotency key: the email's
 * `X-Parley-Idempotency-Key`, the webhook's `webhook-id`.
 */
describe('PostgreSQL restarted in the middle of a delivery batch', () => {
  it('delivers every expected email and webhook, each key once, none lost', async () => {
    await using pg = await startOwnPostgres();
    const { url } = pg;
    await using inbox = await startSmtpInbox();
    // A slow receiver: the batch is still going when Postgres goes down.
    await using receiver = await startWebhookReceiver({ delayMs: 150 });
    const settings = {
      replyDelaySeconds: 0,
      pollMs: 200,
      staleJobSeconds: 2,
      webhookRetryBaseSeconds: 0.2,
    };
    await using server = await startChildServer({
      databaseUrl: url,
      env: { PARLEY_TEST_NOTIFY: JSON.stringify(settings), PARLEY_TEST_SMTP_URL: inbox.url },
    });
    const base = `http://127.0.0.1:${server.port}`;

    const setup = createDb(url, { max: 1 });
    const users = await createSupportDeskUsers(setup);
    const auth = createAuth(setup);
    const tokenOf = async (id: string) => (await auth.createSession(id)).token;
    const customers = [
      httpClient(base, { token: await tokenOf(users.customerA.id) }),
      httpClient(base, { token: await tokenOf(users.customerB.id) }),
    ];
    const agent = httpClient(base, { token: await tokenOf(users.agent.id) });
    const admin = httpClient(base, { token: await tokenOf(users.admin.id) });
    await closeDb(setup);
    const endpoint = await admin.webhooks.create.mutate({
      url: `${receiver.url}/hook`,
      events: ['ticket.created', 'message.created'],
      allowPrivateNetwork: true,
    });
    receiver.secretFor('/hook', endpoint.secret);

    for (let i = 0; i < tickets; i++) {
      const ticket = await customers[i % 2]!.tickets.create.mutate(ticketInput());
      await agent.messages.send.mutate({
        ticketId: ticket.id,
        body: `Answer ${i}`,
        clientId: randomUUID(),
      });
    }

    // Mid-batch: some of it delivered, not all.
    await expect
      .poll(() => receiver.received.length >= 6 && inbox.mails.length >= 6, {
        timeout: 30_000,
        interval: 20,
      })
      .toBe(true);
    // Both workers in the middle of a send when Postgres goes: the receivers hold their
    // answers, then give them once it is down; each sender then has a sent email or
    // webhook to record, and a job to finish, with no database.
    inbox.hold();
    receiver.hold();
    await expect.poll(() => inbox.held + receiver.held, { timeout: 30_000, interval: 20 }).toBe(2);
    await pg.stop();
    inbox.release();
    receiver.release();
    expect(inbox.mails.length, 'emails before the restart').toBeLessThan(expectedEmails);
    expect(receiver.received.length, 'webhooks before the restart').toBeLessThan(tickets * 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await pg.start();

    const db = createDb(url, { max: 2 });
    try {
      // Every email: one distinct key per (event, recipient); at most one repeat per
      // worker for a send whose success could not be recorded while Postgres was down.
      const keys = () => inbox.mails.map((m) => m.headers.get('x-parley-idempotency-key'));
      await inbox.waitFor(() => new Set(keys()).size >= expectedEmails, 60_000);
      await settle(db);
      expect(new Set(keys()).size).toBe(expectedEmails);
      expect(keys().length - expectedEmails).toBeLessThanOrEqual(2);
      const mail = await db.$client.query<{ status: string; n: number }>(
        'select status, count(*)::int as n from outgoing_mail group by status',
      );
      expect(mail.rows).toEqual([{ status: 'sent', n: expectedEmails }]);

      // Every webhook: one delivery per logged event of the subscribed types, each
      // delivered, its `webhook-id` at the receiver, every request verified.
      const events = await db.$client.query<{ id: string }>(
        `select id::text from events
          where type in ('ticket.created', 'message.created') and audience = 'all'`,
      );
      const deliveries = await db.$client.query<{ id: string; event_id: string; status: string }>(
        'select id, event_id::text, status from webhook_deliveries',
      );
      expect(deliveries.rows.map((d) => d.event_id).sort()).toEqual(
        events.rows.map((e) => e.id).sort(),
      );
      expect(deliveries.rows.filter((d) => d.status !== 'succeeded')).toEqual([]);
      const ids = receiver.at('/hook').map((r) => r.headers['webhook-id']);
      expect([...new Set(ids)].sort()).toEqual(deliveries.rows.map((d) => `msg_${d.id}`).sort());
      expect(ids.length - deliveries.rows.length).toBeLessThanOrEqual(2);
      expect(receiver.received.filter((r) => !r.verified.ok)).toEqual([]);
    } finally {
      await closeDb(db);
    }
    expect(server.exited).toBe(false);
  }, 180_000);
});

async function settle(db: Db): Promise<void> {
  await engineSettled(db, { cursor: 'notify', task: 'notify-email' }, 60_000);
  await engineSettled(db, { cursor: 'webhooks', task: 'webhook-deliver' }, 60_000);
}
