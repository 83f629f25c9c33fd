import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createTestUser, failureOf } from '@parley/api/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';

/** Chat-widget guests and files: they upload like customers and fetch their own chats' files only. */

const shop = 'https://shop.example';
const evil = 'https://evil.example';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const pdf = (size: number) =>
  Buffer.concat([Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n'), randomBytes(size)]).subarray(0, size);
const png = () =>
  sharp({ create: { width: 400, height: 240, channels: 3, background: '#2a7' } })
    .png()
    .toBuffer();

function form(bytes: Uint8Array, name: string): FormData {
  const body = new FormData();
  body.append('file', new File([bytes], name, { type: 'application/octet-stream' }));
  return body;
}

let t: TestServer;
let agentToken: string;
let siteKey: string;

beforeAll(async () => {
  t = await startTestServer({ limits: { widgetStartsPerIp: { max: 1000, windowSeconds: 60 } } });
  const admin = await createTestUser(t.database.db, 'admin');
  const agent = await createTestUser(t.database.db, 'agent');
  const adminToken = (await t.server.services.auth.createSession(admin.id)).token;
  agentToken = (await t.server.services.auth.createSession(agent.id)).token;
  const site = await httpClient(t.url, { token: adminToken }).widgets.create.mutate({
    name: 'Shop',
    allowedOrigins: [shop],
  });
  siteKey = site.siteKey;
});
afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

/** A visitor starts a chat (optionally with a known email): its ticket, token and client. */
async function startChat(email = `vera-${randomUUID().slice(0, 8)}@example.com`) {
  const started = await httpClient(t.url).widget.start.mutate({
    siteKey,
    hostOrigin: shop,
    name: 'Vera',
    email,
    message: 'Hello there',
    clientId: randomUUID(),
  });
  return {
    ticketId: started.ticket.id,
    token: started.guestToken,
    client: httpClient(t.url, { token: started.guestToken }),
  };
}

async function download(url: string, token: string) {
  const response = await fetch(`${t.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('a chat-widget guest and files', () => {
  it('uploads, sends, and both sides download identical bytes (thumbnail too)', async () => {
    const chat = await startChat();
    const image = await png();
    const uploaded = await chat.client.attachments.upload.mutate(form(image, 'box.png'));
    expect(uploaded).toMatchObject({ name: 'box.png', contentType: 'image/png', width: 400 });
    const sent = await chat.client.messages.send.mutate({
      ticketId: chat.ticketId,
      body: '',
      clientId: randomUUID(),
      attachmentIds: [uploaded.id],
    });
    const [file] = sent.attachments;
    expect(file?.thumbnailUrl).toBeDefined();

    const agent = httpClient(t.url, { token: agentToken });
    const listed = await agent.messages.list.query({ ticketId: chat.ticketId });
    const seen = listed.items.flatMap((m) => m.attachments).find((a) => a.id === uploaded.id);
    expect(seen?.url).toBe(file?.url);
    const byAgent = await download(file?.url ?? '', agentToken);
    expect(byAgent.status).toBe(200);
    expect(sha256(byAgent.bytes)).toBe(sha256(image));

    const byGuest = await download(file?.url ?? '', chat.token);
    expect(byGuest.status).toBe(200);
    expect(sha256(byGuest.bytes)).toBe(sha256(image));
    const thumbnail = await download(file?.thumbnailUrl ?? '', chat.token);
    expect(thumbnail.status).toBe(200);
    expect((await sharp(thumbnail.bytes).metadata()).format).toBe('webp');
  });

  it("gets 404 for another conversation's file and for an internal note's file", async () => {
    const chat = await startChat();
    const otherChat = await startChat();
    const agent = httpClient(t.url, { token: agentToken });

    const note = await agent.attachments.upload.mutate(form(pdf(800), 'internal.pdf'));
    const noted = await agent.messages.send.mutate({
      ticketId: chat.ticketId,
      body: 'Customer flagged for fraud review',
      clientId: randomUUID(),
      internal: true,
      attachmentIds: [note.id],
    });
    const reply = await agent.attachments.upload.mutate(form(pdf(900), 'label.pdf'));
    const replied = await agent.messages.send.mutate({
      ticketId: chat.ticketId,
      body: 'Here is your label',
      clientId: randomUUID(),
      attachmentIds: [reply.id],
    });
    const elsewhere = await otherChat.client.attachments.upload.mutate(form(pdf(700), 'x.pdf'));
    const elsewhereSent = await otherChat.client.messages.send.mutate({
      ticketId: otherChat.ticketId,
      body: 'mine',
      clientId: randomUUID(),
      attachmentIds: [elsewhere.id],
    });

    const noteUrl = noted.attachments[0]?.url ?? '';
    expect(await download(noteUrl, chat.token)).toMatchObject({ status: 404 });
    expect((await download(`${noteUrl}?thumbnail`, chat.token)).status).toBe(404);
    expect((await download(elsewhereSent.attachments[0]?.url ?? '', chat.token)).status).toBe(404);
    expect((await download(replied.attachments[0]?.url ?? '', chat.token)).status).toBe(200);
    // The other chat's guest gets nothing of this chat.
    expect((await download(replied.attachments[0]?.url ?? '', otherChat.token)).status).toBe(404);
    // Never listed either.
    const listed = await chat.client.messages.list.query({ ticketId: chat.ticketId });
    const ids = listed.items.flatMap((m) => m.attachments.map((a) => a.id));
    expect(ids).toContain(reply.id);
    expect(ids).not.toContain(note.id);
    // A made-up or malformed guest token is the same 404.
    expect(
      (await download(replied.attachments[0]?.url ?? '', `guest_${'x'.repeat(32)}`)).status,
    ).toBe(404);
  });

  it("keeps a guest's pending upload to their own guest session, and the portal's from the guest", async () => {
    const customer = await createTestUser(t.database.db, 'customer');
    const portalToken = (await t.server.services.auth.createSession(customer.id)).token;
    const portal = httpClient(t.url, { token: portalToken });
    // The same contact (email) twice in the widget, and signed in to the portal.
    const first = await startChat(customer.email);
    const second = await startChat(customer.email);

    const pending = await first.client.attachments.upload.mutate(form(pdf(500), 'p.pdf'));
    const url = `/files/${pending.id}/p.pdf`;
    expect((await download(url, first.token)).status).toBe(200);
    expect((await download(url, second.token)).status).toBe(404);
    expect((await download(url, portalToken)).status).toBe(404);
    const claim = (client: typeof portal, ticketId: string) =>
      failureOf(
        client.messages.send.mutate({
          ticketId,
          body: 'taken',
          clientId: randomUUID(),
          attachmentIds: [pending.id],
        }),
      );
    expect((await claim(second.client, second.ticketId)).code).toBe('BAD_REQUEST');

    const portalPending = await portal.attachments.upload.mutate(form(pdf(500), 'q.pdf'));
    expect((await download(`/files/${portalPending.id}/q.pdf`, first.token)).status).toBe(404);
    const taken = await failureOf(
      first.client.messages.send.mutate({
        ticketId: first.ticketId,
        body: 'taken',
        clientId: randomUUID(),
        attachmentIds: [portalPending.id],
      }),
    );
    expect(taken.code).toBe('BAD_REQUEST');
    // Its own session sends it.
    await first.client.messages.send.mutate({
      ticketId: first.ticketId,
      body: 'here',
      clientId: randomUUID(),
      attachmentIds: [pending.id],
    });
  });

  it('uploads cross-origin only from an origin the widget allows, with CORS, by Bearer token', async () => {
    const chat = await startChat();
    const post = (origin: string, token: string) =>
      fetch(`${t.url}/trpc/attachments.upload`, {
        method: 'POST',
        body: form(pdf(1000), 'cross.pdf'),
        headers: { origin, authorization: `Bearer ${token}` },
      });
    const preflight = await fetch(`${t.url}/trpc/attachments.upload`, {
      method: 'OPTIONS',
      headers: {
        origin: shop,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);

    const allowed = await post(shop, chat.token);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(shop);

    const foreign = await post(evil, chat.token);
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    // From the allowed origin, the session cookie does not count: only a Bearer token.
    const customer = await createTestUser(t.database.db, 'customer');
    const cookie = `parley_session=${(await t.server.services.auth.createSession(customer.id)).token}`;
    const withCookie = await fetch(`${t.url}/trpc/attachments.upload`, {
      method: 'POST',
      body: form(pdf(1000), 'cookie.pdf'),
      headers: { origin: shop, cookie },
    });
    expect(withCookie.status).toBe(401);
  });

  it('limits guests like customers: per-file size in words and uploads per window', async () => {
    await using small = await startTestServer({
      database: t.database,
      files: { maxBytes: 100 * 1024 },
      limits: {
        uploadsPerUser: { max: 2, windowSeconds: 600 },
        widgetStartsPerIp: { max: 1000, windowSeconds: 60 },
      },
    });
    const started = await httpClient(small.url).widget.start.mutate({
      siteKey,
      hostOrigin: shop,
      name: 'Vera',
      email: `vera-${randomUUID().slice(0, 8)}@example.com`,
      message: 'Hello',
      clientId: randomUUID(),
    });
    const guest = httpClient(small.url, { token: started.guestToken });
    const tooBig = await failureOf(
      guest.attachments.upload.mutate(form(pdf(100 * 1024 + 1), 'big.pdf')),
    );
    expect(tooBig.code).toBe('PAYLOAD_TOO_LARGE');
    expect((tooBig.error as Error).message).toBe(
      'This file is too large: files can be up to 0.1 MB.',
    );
    await guest.attachments.upload.mutate(form(pdf(100), 'ok.pdf'));
    const limited = await failureOf(guest.attachments.upload.mutate(form(pdf(100), 'more.pdf')));
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
  });
});
