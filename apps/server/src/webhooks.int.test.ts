import { randomUUID } from 'node:crypto';
import type { AppRouter } from '@parley/api';
import { createSecretBox } from '@parley/api';
import {
  createSupportDeskUsers,
  testSecretKey,
  ticketInput,
  type SupportDeskUsers,
} from '@parley/api/testing';
import type { Db } from '@parley/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { engineSettled } from './testing/engine-settled';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';

type Client = ReturnType<typeof httpClient>;

/**
 * The retry schedule scaled down 5000 times (0, 1 ms, 60 ms, 360 ms, 1.4 s, 3.6 s, 7.2 s),
 * so a delivery that fails for good does so in ~13 s; two in a row switch an endpoint off.
 */
const notify = {
  pollMs: 100,
  webhookRetryBaseSeconds: 0.001,
  webhookDisableAfter: 2,
};

const settled = (db: Db, timeoutMs = 30_000) =>
  engineSettled(db, { cursor: 'webhooks', task: 'webhook-deliver' }, timeoutMs);

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  await expect.poll(check, { timeout: timeoutMs, interval: 50 }).toBe(true);
}

type Body = { type: string; timestamp: string; data: Record<string, unknown> };
const bodyOf = (r: { body: string }) => JSON.parse(r.body) as Body;

describe('signed webhooks from the event log', () => {
  let receiver: WebhookReceiver;
  let t: TestServer;
  let users: SupportDeskUsers;
  let customer: Client;
  let agent: Client;
  let admin: Client;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestServer({ notify });
    users = await createSupportDeskUsers(t.database.db);
    const tokenOf = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    customer = httpClient(t.url, { token: await tokenOf(users.customerA.id) });
    agent = httpClient(t.url, { token: await tokenOf(users.agent.id) });
    admin = httpClient(t.url, { token: await tokenOf(users.admin.id) });
  });
  afterAll(async () => {
    await t[Symbol.asyncDispose]();
    await receiver[Symbol.asyncDispose]();
  });

  /** Registers an endpoint at a fresh path of the receiver (private network allowed). */
  async function endpoint(events: string[], answer?: (n: number) => number) {
    const path = `/hooks/${randomUUID()}`;
    if (answer) receiver.answer(path, answer);
    const created = await admin.webhooks.create.mutate({
      url: `${receiver.url}${path}`,
      events: events as never,
      allowPrivateNetwork: true,
    });
    receiver.secretFor(path, created.secret);
    return { ...created, path };
  }

  const send = (ticketId: string, body: string, internal = false) =>
    agent.messages.send.mutate({ ticketId, body, clientId: randomUUID(), internal });

  it('refuses an endpoint on loopback, link-local or private addresses unless the admin allows it', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost:9/hook',
      'http://[::1]:9/hook',
      'http://[::ffff:127.0.0.1]:9/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.8/hook',
    ]) {
      const refused = await admin.webhooks.create
        .mutate({ url, events: ['ticket.created'] })
        .then(() => null)
        .catch((error: unknown) => error);
      expect(refused, url).toBeInstanceOf(TRPCClientError);
      expect((refused as TRPCClientError<AppRouter>).data?.code, url).toBe('BAD_REQUEST');
    }
    await expect(
      admin.webhooks.create.mutate({ url: 'ftp://example.com/x', events: ['ticket.created'] }),
    ).rejects.toThrow(/http/);
    const allowed = await admin.webhooks.create.mutate({
      url: 'http://127.0.0.1:9/hook',
      events: ['ticket.created'],
      allowPrivateNetwork: true,
    });
    expect(allowed.allowPrivateNetwork).toBe(true);
    expect(allowed.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // The secret is shown once: no later answer carries it.
    const listed = await admin.webhooks.list.query();
    expect(JSON.stringify(listed)).not.toContain(allowed.secret);
    // Switching the leave off again is refused for a private target.
    await expect(
      admin.webhooks.update.mutate({ endpointId: allowed.id, allowPrivateNetwork: false }),
    ).rejects.toThrow(/private/);
    await admin.webhooks.delete.mutate({ endpointId: allowed.id });
    // Admins only.
    await expect(agent.webhooks.list.query()).rejects.toThrow(/Admins only/);
  });

  it('sends each subscribed event once, signed (Standard Webhooks), with the contract payload', async () => {
    const hook = await endpoint(['ticket.created', 'message.created']);
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const message = await send(ticket.id, 'Your parcel ships tomorrow.');
    await waitFor(() => receiver.at(hook.path).length >= 2);
    await settled(t.database.db);

    const got = receiver.at(hook.path);
    expect(got).toHaveLength(2);
    for (const r of got) expect(r.verified).toMatchObject({ ok: true });
    const [created, sent] = got.map(bodyOf);
    expect(created?.type).toBe('ticket.created');
    expect(created?.data.id).toBe(ticket.id);
    expect(Object.keys(created ?? {}).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(sent?.type).toBe('message.created');
    expect(sent?.data).toMatchObject({ id: message.id, body: 'Your parcel ships tomorrow.' });
    expect(got[1]?.headers['webhook-id']).toMatch(/^msg_/);
    expect(got[1]?.headers['parley-ticket-id']).toBe(ticket.id);
    expect(Number(got[1]?.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
    expect(got[1]?.headers['webhook-signature']).toMatch(/^v1,/);
  });

  it('retries a receiver that answers 500 three times, then delivers once, and logs the attempts', async () => {
    const hook = await endpoint(['ticket.created'], (n) => (n < 3 ? 500 : 200));
    const ticket = await customer.tickets.create.mutate(ticketInput());
    await waitFor(() => receiver.at(hook.path).some((r) => r.status === 200));
    await settled(t.database.db);

    const got = receiver.at(hook.path);
    expect(got.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(got.every((r) => r.verified.ok)).toBe(true);
    // One message: the same webhook-id on every attempt, so the receiver can dedupe.
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(bodyOf(got[3] ?? { body: '{}' }).data.id).toBe(ticket.id);

    const log = await admin.webhooks.deliveries.query({ endpointId: hook.id });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      status: 'succeeded',
      attempts: 4,
      statusCode: 200,
      response: 'thanks',
      nextAttemptAt: null,
      messageId: got[0]?.headers['webhook-id'],
    });
    expect(log.items[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('never sends an internal note to an endpoint that did not subscribe to notes', async () => {
    const publicOnly = await endpoint(['message.created']);
    const withNotes = await endpoint(['message.created', 'note.created']);
    const ticket = await customer.tickets.create.mutate(ticketInput());
    await send(ticket.id, 'INTERNAL: known chargeback risk', true);
    await send(ticket.id, 'We are looking into it.');
    await waitFor(() => receiver.at(withNotes.path).length >= 3);
    await settled(t.database.db);

    const everything = receiver.at(publicOnly.path).map((r) => r.body);
    expect(everything).toHaveLength(1);
    expect(everything.join()).not.toContain('chargeback');
    expect(everything.map((b) => bodyOf({ body: b }).data.internal)).toEqual([false]);
    // The subscriber to notes gets the note (and the status line the reply wrote, also
    // agents-only) as `note.created`, never as `message.created`.
    const notes = receiver.at(withNotes.path).map(bodyOf);
    expect(notes.filter((b) => b.type === 'message.created').map((b) => b.data.body)).toEqual([
      'We are looking into it.',
    ]);
    expect(notes.filter((b) => b.type === 'note.created').map((b) => b.data.body)).toContain(
      'INTERNAL: known chargeback risk',
    );
    expect(notes.filter((b) => b.data.internal).every((b) => b.type === 'note.created')).toBe(true);
    expect(receiver.at(withNotes.path).every((r) => r.verified.ok)).toBe(true);
  });

  it('replays from an event id, in order, under the same webhook-ids', async () => {
    const hook = await endpoint(['message.created']);
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const bodies = ['one', 'two', 'three', 'four'];
    for (const body of bodies) await send(ticket.id, body);
    await waitFor(() => receiver.at(hook.path).length >= 4);
    await settled(t.database.db);
    const first = receiver.at(hook.path);
    expect(first.map((r) => bodyOf(r).data.body)).toEqual(bodies);

    const fromEventId = Number(first[1]?.headers['parley-event-id']);
    const replay = await admin.webhooks.replay.mutate({ endpointId: hook.id, fromEventId });
    expect(replay).toEqual({ queued: 3, nextEventId: null });
    await waitFor(() => receiver.at(hook.path).length >= 7);
    await settled(t.database.db);

    const again = receiver.at(hook.path).slice(4);
    expect(again.map((r) => bodyOf(r).data.body)).toEqual(['two', 'three', 'four']);
    expect(again.map((r) => r.headers['webhook-id'])).toEqual(
      first.slice(1).map((r) => r.headers['webhook-id']),
    );
    expect(again.every((r) => r.verified.ok)).toBe(true);
  });

  it('redelivers one delivery under its webhook-id', async () => {
    const hook = await endpoint(['ticket.created']);
    await customer.tickets.create.mutate(ticketInput());
    await waitFor(() => receiver.at(hook.path).length >= 1);
    await settled(t.database.db);
    const [delivery] = (await admin.webhooks.deliveries.query({ endpointId: hook.id })).items;
    expect(delivery?.status).toBe('succeeded');
    await admin.webhooks.redeliver.mutate({ deliveryId: delivery?.id ?? '' });
    await waitFor(() => receiver.at(hook.path).length >= 2);
    const [a, b] = receiver.at(hook.path);
    expect(b?.headers['webhook-id']).toBe(a?.headers['webhook-id']);
    expect(b?.body).toBe(a?.body);
    await settled(t.database.db);
    const after = (await admin.webhooks.deliveries.query({ endpointId: hook.id })).items[0];
    expect(after).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('marks a delivery failed after the whole schedule, and switches the endpoint off after repeated failures, telling the admins', async () => {
    const hook = await endpoint(['ticket.created'], () => 503);
    await customer.tickets.create.mutate(ticketInput());
    await customer.tickets.create.mutate(ticketInput());
    await settled(t.database.db, 60_000);

    const got = receiver.at(hook.path);
    expect(got).toHaveLength(14); // 7 attempts each
    const log = await admin.webhooks.deliveries.query({ endpointId: hook.id });
    expect(log.items.map((d) => [d.status, d.attempts, d.statusCode])).toEqual([
      ['failed', 7, 503],
      ['failed', 7, 503],
    ]);
    const [listed] = (await admin.webhooks.list.query()).filter((e) => e.id === hook.id);
    expect(listed).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(listed?.disabledReason).toMatch(/in a row failed/);

    const noticeTo = async (email: string) =>
      (
        await t.database.db.$client.query<{ text: string }>(
          `select text from outgoing_mail where kind = 'webhook_disabled' and to_address = $1`,
          [email],
        )
      ).rows;
    await expect.poll(() => noticeTo(users.admin.email), { timeout: 10_000 }).toHaveLength(1);
    expect((await noticeTo(users.admin.email))[0]?.text).toContain(hook.path);

    // Switched off: nothing more is sent.
    await customer.tickets.create.mutate(ticketInput());
    await settled(t.database.db);
    expect(receiver.at(hook.path)).toHaveLength(14);
  }, 90_000);

  it('checks the address again at send time: a target that became private is not contacted', async () => {
    const hook = await endpoint(['ticket.created']);
    // As if its DNS now answered 127.0.0.1 for a host that was public when it was added.
    await t.database.db.$client.query(
      'update webhook_endpoints set allow_private_network = false where id = $1',
      [hook.id],
    );
    await customer.tickets.create.mutate(ticketInput());
    const firstAttempt = async () => {
      const [delivery] = (await admin.webhooks.deliveries.query({ endpointId: hook.id })).items;
      return delivery && delivery.attempts > 0 ? delivery : null;
    };
    await expect.poll(firstAttempt, { timeout: 20_000 }).not.toBeNull();
    const refused = await firstAttempt();
    expect(refused?.statusCode).toBeNull();
    expect(refused?.error).toMatch(/private/);
    expect(receiver.at(hook.path)).toEqual([]);
    await admin.webhooks.delete.mutate({ endpointId: hook.id });
    await settled(t.database.db);
    expect(receiver.at(hook.path)).toEqual([]);
  });

  it('stops retrying once an admin switches the endpoint off', async () => {
    const hook = await endpoint(['ticket.created'], () => 500);
    await customer.tickets.create.mutate(ticketInput());
    await waitFor(() => receiver.at(hook.path).length >= 1);
    await admin.webhooks.update.mutate({ endpointId: hook.id, enabled: false });
    await settled(t.database.db);
    const [delivery] = (await admin.webhooks.deliveries.query({ endpointId: hook.id })).items;
    expect(delivery).toMatchObject({
      status: 'failed',
      error: 'The endpoint is switched off',
      nextAttemptAt: null,
    });
    expect(delivery?.attempts).toBeLessThan(7);
    expect(receiver.at(hook.path)).toHaveLength(delivery?.attempts ?? -1);
    await admin.webhooks.delete.mutate({ endpointId: hook.id });
  });

  it('stores each secret sealed under the server’s key, and seals at start-up one stored in plain text before', async () => {
    const hook = await endpoint(['ticket.created']);
    const stored = async () => {
      const found = await t.database.db.$client.query<{ secret: string }>(
        'select secret from webhook_endpoints where id = $1',
        [hook.id],
      );
      return found.rows[0]!.secret;
    };
    const sealed = await stored();
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain(hook.secret.slice('whsec_'.length, 'whsec_'.length + 12));
    expect(createSecretBox(testSecretKey).open(sealed)).toBe(hook.secret);

    // An endpoint registered before secrets were sealed: a server starting seals it.
    await t.database.db.$client.query('update webhook_endpoints set secret = $2 where id = $1', [
      hook.id,
      hook.secret,
    ]);
    await (await startTestServer({ database: t.database }))[Symbol.asyncDispose]();
    const resealed = await stored();
    expect(resealed).toMatch(/^sealed:v1:/);
    expect(createSecretBox(testSecretKey).open(resealed)).toBe(hook.secret);

    // Its deliveries are signed with the same secret as before.
    await customer.tickets.create.mutate(ticketInput());
    await waitFor(() => receiver.at(hook.path).length >= 1);
    expect(receiver.at(hook.path)[0]?.verified).toMatchObject({ ok: true });
    await admin.webhooks.delete.mutate({ endpointId: hook.id });
  });
});

describe('a server whose secret key is not the one the secrets were sealed with', () => {
  it('sends nothing unsigned or wrongly signed: each attempt fails, and says why', async () => {
    await using receiver = await startWebhookReceiver();
    await using first = await startTestServer();
    const users = await createSupportDeskUsers(first.database.db);
    const tokenOf = async (id: string) =>
      (await first.server.services.auth.createSession(id)).token;
    const admin = httpClient(first.url, { token: await tokenOf(users.admin.id) });
    const hook = await admin.webhooks.create.mutate({
      url: `${receiver.url}/hook`,
      events: ['ticket.created'],
      allowPrivateNetwork: true,
    });
    await using other = await startTestServer({
      database: first.database,
      notify,
      secretKey: Buffer.alloc(32, 9),
    });
    const customer = httpClient(other.url, { token: await tokenOf(users.customerA.id) });
    await customer.tickets.create.mutate(ticketInput());
    const attempted = async () => {
      const [delivery] = (await admin.webhooks.deliveries.query({ endpointId: hook.id })).items;
      return delivery && delivery.attempts > 0 ? delivery : null;
    };
    await expect.poll(attempted, { timeout: 20_000 }).not.toBeNull();
    expect((await attempted())?.error).toMatch(/secret key/);
    expect(receiver.received).toEqual([]);
  });
});
