import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestUser } from '@parley/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { collector, realtimeClient } from './testing/realtime';

const shop = 'https://shop.example';
const blog = 'http://localhost:4173';
const evil = 'https://evil.example';

let t: TestServer;
let adminToken: string;
let agentToken: string;
let site: { id: string; siteKey: string };
let blogSite: { id: string; siteKey: string };

beforeAll(async () => {
  const webRoot = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(path.join(webRoot, 'widget.html'), '<!doctype html><title>Chat</title>');
  t = await startTestServer({
    webRoot,
    limits: { widgetStartsPerIp: { max: 1000, windowSeconds: 60 } },
  });
  const admin = await createTestUser(t.database.db, 'admin');
  const agent = await createTestUser(t.database.db, 'agent');
  adminToken = (await t.server.services.auth.createSession(admin.id)).token;
  agentToken = (await t.server.services.auth.createSession(agent.id)).token;
  const client = httpClient(t.url, { token: adminToken });
  site = await client.widgets.create.mutate({
    name: 'Shop',
    allowedOrigins: [shop, 'https://www.shop.example'],
  });
  blogSite = await client.widgets.create.mutate({ name: 'Blog', allowedOrigins: [blog] });
});
afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

const startInput = (overrides: Record<string, unknown> = {}) => ({
  siteKey: site.siteKey,
  hostOrigin: shop,
  name: 'Vera',
  email: `vera-${randomUUID().slice(0, 8)}@example.com`,
  message: 'Hello there',
  clientId: randomUUID(),
  ...overrides,
});

function postJson(pathname: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${t.url}${pathname}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function preflight(pathname: string, origin: string) {
  return fetch(`${t.url}${pathname}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
}

describe('CORS for the widget', () => {
  it("answers a preflight for the widget's procedures from an allowed origin only", async () => {
    const ok = await preflight('/trpc/widget.start', shop);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(shop);
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();

    const foreign = await preflight('/trpc/widget.start', evil);
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    // Allowed origin, but not a widget procedure (or a batch that sneaks one in).
    for (const pathname of [
      '/trpc/tickets.list',
      '/trpc/widget.config,users.list',
      '/trpc/auth.signIn',
    ]) {
      const refused = await preflight(pathname, shop);
      expect([pathname, refused.status]).toEqual([pathname, 403]);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('lets an allowed origin start a chat and refuses any other', async () => {
    const ok = await postJson('/trpc/widget.start', startInput(), { origin: shop });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(shop);
    const body = (await ok.json()) as { result: { data: { guestToken: string } } };
    expect(body.result.data.guestToken).toMatch(/^guest_/);

    const foreign = await postJson('/trpc/widget.start', startInput(), { origin: evil });
    expect(foreign.status).toBe(403);

    // An origin another widget allows is not this widget's.
    const otherSite = await postJson('/trpc/widget.start', startInput(), { origin: blog });
    expect(otherSite.status).toBe(403);
    expect(
      ((await otherSite.json()) as { error: { data: { code: string } } }).error.data.code,
    ).toBe('FORBIDDEN');

    // The host origin the loader reports must be allowed too.
    const badHost = await postJson('/trpc/widget.start', startInput({ hostOrigin: evil }), {
      origin: shop,
    });
    expect(badHost.status).toBe(403);
  });

  it('refuses cross-origin calls of other procedures, even from an allowed origin', async () => {
    const res = await postJson(
      '/trpc/auth.signOut',
      {},
      { origin: shop, authorization: `Bearer ${adminToken}` },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('ignores the session cookie on a cross-origin call: only a Bearer token counts', async () => {
    const cookie = `parley_session=${agentToken}`;
    const chat = await httpClient(t.url).widget.start.mutate(startInput());
    const res = await fetch(
      `${t.url}/trpc/tickets.byId?input=${encodeURIComponent(JSON.stringify({ ticketId: chat.ticket.id }))}`,
      { headers: { origin: shop, cookie } },
    );
    expect(res.status).toBe(401);
    const sameSite = await fetch(
      `${t.url}/trpc/tickets.byId?input=${encodeURIComponent(JSON.stringify({ ticketId: chat.ticket.id }))}`,
      { headers: { cookie } },
    );
    expect(sameSite.status).toBe(200);
  });

  it('refuses a guest token used from an origin its widget does not allow', async () => {
    const chat = await httpClient(t.url).widget.start.mutate(startInput());
    const fromBlog = await fetch(
      `${t.url}/trpc/tickets.byId?input=${encodeURIComponent(JSON.stringify({ ticketId: chat.ticket.id }))}`,
      { headers: { origin: blog, authorization: `Bearer ${chat.guestToken}` } },
    );
    expect(fromBlog.status).toBe(403);
    const fromShop = await fetch(
      `${t.url}/trpc/tickets.byId?input=${encodeURIComponent(JSON.stringify({ ticketId: chat.ticket.id }))}`,
      { headers: { origin: shop, authorization: `Bearer ${chat.guestToken}` } },
    );
    expect(fromShop.status).toBe(200);
  });
});

describe('the chat frame', () => {
  it('is served with frame-ancestors listing exactly the allowed origins', async () => {
    const res = await fetch(`${t.url}/widget/frame?site=${site.siteKey}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const ancestors = /frame-ancestors ([^;]*)/.exec(csp)?.[1]?.split(' ');
    expect(ancestors).toEqual([shop, 'https://www.shop.example']);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('<title>Chat</title>');

    const updated = await httpClient(t.url, { token: adminToken }).widgets.update.mutate({
      widgetId: blogSite.id,
      allowedOrigins: [blog, 'https://blog.example'],
    });
    expect(updated.allowedOrigins).toEqual([blog, 'https://blog.example']);
    const blogFrame = await fetch(`${t.url}/widget/frame?site=${blogSite.siteKey}`);
    expect(
      /frame-ancestors ([^;]*)/.exec(blogFrame.headers.get('content-security-policy') ?? '')?.[1],
    ).toBe(`${blog} https://blog.example`);
  });

  it('is 404 for an unknown or disabled site', async () => {
    expect((await fetch(`${t.url}/widget/frame?site=site_nope`)).status).toBe(404);
    const off = await httpClient(t.url, { token: adminToken }).widgets.create.mutate({
      name: 'Off',
      allowedOrigins: [shop],
      enabled: false,
    });
    expect((await fetch(`${t.url}/widget/frame?site=${off.siteKey}`)).status).toBe(404);
  });
});

describe('a guest over WebSocket', () => {
  it('follows its own chat live and is refused every other ticket and the inbox', async () => {
    const anonymous = httpClient(t.url);
    const mine = await anonymous.widget.start.mutate(startInput());
    const other = await anonymous.widget.start.mutate(startInput());
    await using guest = realtimeClient(`${t.url.replace(/^http/, 'ws')}/trpc`, {
      token: mine.guestToken,
    });
    const thread = collector();
    guest.client.realtime.onTicket.subscribe({ ticketId: mine.ticket.id }, thread.handlers);
    await thread.until(() => thread.started > 0, 'the stream to start');

    const agent = httpClient(t.url, { token: agentToken });
    await agent.messages.send.mutate({
      ticketId: mine.ticket.id,
      body: 'Hi Vera, how can I help?',
      clientId: randomUUID(),
    });
    await agent.messages.send.mutate({
      ticketId: mine.ticket.id,
      body: 'Internal: VIP',
      clientId: randomUUID(),
      internal: true,
    });
    await agent.messages.send.mutate({
      ticketId: mine.ticket.id,
      body: 'Still there?',
      clientId: randomUUID(),
    });
    await thread.until(() => thread.bodies().includes('Still there?'), 'the replies');
    expect(thread.bodies()).toEqual(['Hi Vera, how can I help?', 'Still there?']);

    await guest.client.messages.send.mutate({
      ticketId: mine.ticket.id,
      body: 'Yes!',
      clientId: randomUUID(),
    });
    await guest.client.realtime.typing.mutate({ ticketId: mine.ticket.id, typing: true });

    for (const otherId of [other.ticket.id, randomUUID()]) {
      const refused = collector();
      guest.client.realtime.onTicket.subscribe({ ticketId: otherId }, refused.handlers);
      await refused.until(() => refused.error !== null, 'the refusal').catch(() => {});
      expect((refused.error as { data?: { code?: string } }).data?.code).toBe('NOT_FOUND');
      await expect(guest.client.tickets.byId.query({ ticketId: otherId })).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
    }
    const inbox = collector();
    guest.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    await inbox.until(() => inbox.error !== null, 'the refusal').catch(() => {});
    expect((inbox.error as { data?: { code?: string } }).data?.code).toBe('UNAUTHORIZED');
  });

  it("never shows a guest the portal tickets of the same email, nor another guest session's chat", async () => {
    const customer = await createTestUser(t.database.db, 'customer');
    const portalToken = (await t.server.services.auth.createSession(customer.id)).token;
    const portal = await httpClient(t.url, { token: portalToken }).tickets.create.mutate({
      subject: 'My portal ticket',
      description: 'Private to me',
    });
    const anonymous = httpClient(t.url);
    const first = await anonymous.widget.start.mutate(startInput({ email: customer.email }));
    const second = await anonymous.widget.start.mutate(startInput({ email: customer.email }));
    await using guest = realtimeClient(`${t.url.replace(/^http/, 'ws')}/trpc`, {
      token: first.guestToken,
    });
    const overHttp = httpClient(t.url, { token: first.guestToken });
    for (const ticketId of [portal.id, second.ticket.id]) {
      await expect(guest.client.messages.list.query({ ticketId })).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
      await expect(overHttp.messages.list.query({ ticketId })).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
    }
    expect((await guest.client.tickets.byId.query({ ticketId: first.ticket.id })).id).toBe(
      first.ticket.id,
    );
  });
});

describe("the visitor's country", () => {
  it('comes from the CSV the server was started with; an unreadable file stops the start', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-geoip-'));
    const csv = path.join(dir, 'ip-country.csv');
    await writeFile(csv, '127.0.0.0,127.255.255.255,NZ\n::1,::1,NZ\n');
    await using geo = await startTestServer({ geoipCsv: csv });
    const admin = await createTestUser(geo.database.db, 'admin');
    const token = (await geo.server.services.auth.createSession(admin.id)).token;
    const client = httpClient(geo.url, { token });
    const local = await client.widgets.create.mutate({ name: 'Local', allowedOrigins: [shop] });
    const chat = await client.widget.start.mutate(startInput({ siteKey: local.siteKey }));
    expect((await client.tickets.chatDetails.query({ ticketId: chat.ticket.id })).country).toBe(
      'NZ',
    );

    await expect(
      startTestServer({ geoipCsv: path.join(dir, 'missing.csv'), database: geo.database }),
    ).rejects.toThrow(/PARLEY_GEOIP_CSV: cannot read .*missing\.csv/);
  });
});
