import { randomUUID } from 'node:crypto';
import { getUserByEmail } from '@parley/db';
import {
  createTestDatabase,
  expireGuestSessions,
  guestSessionRows,
  ticketRows,
  type TestDatabase,
} from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext, type Services } from '../context';
import type { AppError } from '../errors';
import {
  createCaller,
  createTestUser,
  failureOf,
  signedInCaller,
  testServices,
  ticketInput,
} from '../testing';
import { signIdentityToken } from '../widgets/identity-token';
import { parseIpCountryCsv } from '../widgets/ip-country';

let test: TestDatabase;
let services: Services;
let admin: Awaited<ReturnType<typeof signedInCaller>>['caller'];
let agent: Awaited<ReturnType<typeof signedInCaller>>['caller'];
let site: { id: string; siteKey: string; secret: string | null };
const shop = 'https://shop.example';
const fieldErrorsOf = (error: unknown) =>
  (error as { cause?: AppError }).cause?.details.fieldErrors;

beforeAll(async () => {
  test = await createTestDatabase();
  services = testServices(test.db);
  admin = (await signedInCaller(services, (await createTestUser(test.db, 'admin')).id)).caller;
  agent = (await signedInCaller(services, (await createTestUser(test.db, 'agent')).id)).caller;
  site = await admin.widgets.create({ name: 'Shop', allowedOrigins: [`${shop}/`] });
});
afterAll(async () => {
  await services.hub.close();
  await test[Symbol.asyncDispose]();
});

/** A caller as a browser would make it: a token (guest or none) and where the request came from. */
async function visitor(
  options: { token?: string; crossOrigin?: string; ip?: string } = {},
  svc = services,
) {
  const ctx = await createInnerContext(svc, {
    token: options.token ?? null,
    crossOrigin: options.crossOrigin ?? null,
    clientIp: options.ip ?? '203.0.113.7',
    userAgent: 'Mozilla/5.0 (test)',
  });
  return createCaller(ctx);
}

const start = (overrides: Record<string, unknown> = {}) => ({
  siteKey: site.siteKey,
  hostOrigin: shop,
  name: 'Vera Visitor',
  email: `vera-${randomUUID().slice(0, 8)}@example.com`,
  message: 'Do you ship to Norway?\nI need it by Friday.',
  clientId: randomUUID(),
  pageUrl: 'https://shop.example/products/42?ref=ad',
  ...overrides,
});

describe('widgets (admin)', () => {
  it('creates a widget with a site key and shows its secret once', async () => {
    expect(site.siteKey).toMatch(/^site_/);
    expect(site.secret).toEqual(expect.any(String));
    const listed = await admin.widgets.list();
    const mine = listed.find((w) => w.id === site.id);
    expect(mine).toMatchObject({ allowedOrigins: [shop], title: 'Chat with us', enabled: true });
    expect(mine).not.toHaveProperty('secret');
    // An explicit undefined (JSON cannot send one, a router caller can) keeps the default.
    const defaults = await admin.widgets.create({
      name: 'Defaults',
      allowedOrigins: [shop],
      greeting: undefined,
      title: undefined,
    });
    expect(defaults).toMatchObject({ title: 'Chat with us', color: '#2563eb', position: 'right' });
  });

  it('updates settings, refuses bad origins and colours, and rotates the secret', async () => {
    const other = await admin.widgets.create({
      name: 'Blog',
      allowedOrigins: ['https://blog.example'],
    });
    const updated = await admin.widgets.update({
      widgetId: other.id,
      color: '#FF0066',
      greeting: 'Ahoy',
      requirePhone: true,
    });
    expect(updated).toMatchObject({
      color: '#ff0066',
      greeting: 'Ahoy',
      requirePhone: true,
      secret: null,
    });
    const rotated = await admin.widgets.update({ widgetId: other.id, rotateSecret: true });
    expect(rotated.secret).not.toBe(other.secret);
    for (const bad of [
      { allowedOrigins: ['https://blog.example/path'] },
      { allowedOrigins: ['javascript:alert(1)'] },
      { allowedOrigins: [] },
      { color: 'red' },
    ]) {
      expect((await failureOf(admin.widgets.update({ widgetId: other.id, ...bad }))).code).toBe(
        'BAD_REQUEST',
      );
    }
  });
});

describe('widget.config and widget.start', () => {
  it('gives the public config of an enabled site only', async () => {
    const config = await (await visitor()).widget.config({ siteKey: site.siteKey });
    expect(config).toMatchObject({ title: 'Chat with us', requirePhone: false, position: 'right' });
    expect(config).not.toHaveProperty('secret');
    const off = await admin.widgets.create({ name: 'Off', allowedOrigins: [shop], enabled: false });
    expect((await failureOf((await visitor()).widget.config({ siteKey: off.siteKey }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('starts a chat from an allowed origin: a guest token and a widget ticket with its page', async () => {
    const input = start();
    const { guestToken, ticket } = await (await visitor({ crossOrigin: shop })).widget.start(input);
    expect(guestToken).toMatch(/^guest_/);
    expect(ticket).toMatchObject({
      channel: 'widget',
      subject: 'Do you ship to Norway?',
      description: input.message,
      customer: { name: 'Vera Visitor' },
      status: 'open',
    });
    const [row] = await ticketRows(test.db, { id: ticket.id });
    expect(row).toMatchObject({
      channel: 'widget',
      widgetId: site.id,
      pageUrl: 'https://shop.example/products/42?ref=ad',
      userAgent: 'Mozilla/5.0 (test)',
    });
    // Only the token's hash is stored.
    expect(await guestSessionRows(test.db, { id: guestToken })).toEqual([]);
    expect(row?.guestSessionId).toMatch(/^[0-9a-f]{64}$/);
    expect(await guestSessionRows(test.db, { id: row!.guestSessionId! })).toHaveLength(1);
  });

  it('refuses a host origin or an Origin header the widget does not allow', async () => {
    const v = await visitor();
    expect(
      (await failureOf(v.widget.start(start({ hostOrigin: 'https://evil.example' })))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await failureOf(v.widget.start(start({ hostOrigin: 'https://shop.example.evil.example' }))))
        .code,
    ).toBe('FORBIDDEN');
    const fromEvil = await visitor({ crossOrigin: 'https://evil.example' });
    expect((await failureOf(fromEvil.widget.start(start()))).code).toBe('FORBIDDEN');
    expect((await failureOf(v.widget.start(start({ siteKey: 'site_unknown' })))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('puts form errors next to the field: missing name and email, an invalid phone, a required phone', async () => {
    const v = await visitor();
    const missing = await failureOf(v.widget.start(start({ name: undefined, email: undefined })));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(fieldErrorsOf(missing.error)).toEqual({
      name: ['Required'],
      email: ['Required'],
    });
    for (const phone of ['12345', '+1 555 0000 0000 00', '+999 1234']) {
      const bad = await failureOf(v.widget.start(start({ phone })));
      expect(bad.code).toBe('BAD_REQUEST');
      expect(Object.keys(fieldErrorsOf(bad.error) ?? {})).toEqual(['phone']);
    }
    const strict = await admin.widgets.create({
      name: 'Strict',
      allowedOrigins: [shop],
      requirePhone: true,
    });
    const noPhone = await failureOf(v.widget.start(start({ siteKey: strict.siteKey })));
    expect(fieldErrorsOf(noPhone.error)).toEqual({ phone: ['Required'] });
    const email = `phone-${randomUUID().slice(0, 6)}@example.com`;
    await v.widget.start(start({ siteKey: strict.siteKey, email, phone: '+44 20 7946 0958' }));
    const contact = await getUserByEmail(test.db, { email });
    expect(contact).toMatchObject({ phone: '+442079460958', passwordHash: null, role: 'customer' });
  });

  it('answers a retried start (same clientId) with the same ticket, seen by the new token', async () => {
    const input = start();
    const first = await (await visitor()).widget.start(input);
    const again = await (await visitor()).widget.start(input);
    expect(again.ticket.id).toBe(first.ticket.id);
    const byNew = await (
      await visitor({ token: again.guestToken })
    ).tickets.byId({ ticketId: first.ticket.id });
    expect(byNew.id).toBe(first.ticket.id);
  });

  it('refuses a staff email (a guest is always a customer)', async () => {
    const staff = await createTestUser(test.db, 'agent');
    const refused = await failureOf((await visitor()).widget.start(start({ email: staff.email })));
    expect(refused.code).toBe('BAD_REQUEST');
  });

  it('accepts a host-signed user token instead of the form, and refuses a forged or expired one', async () => {
    const email = `signed-${randomUUID().slice(0, 6)}@example.com`;
    const userToken = signIdentityToken(site.secret!, { email, name: 'Signed Sam' });
    const v = await visitor();
    const ok = await v.widget.start(start({ name: undefined, email: undefined, userToken }));
    expect(ok.ticket.customer.name).toBe('Signed Sam');
    const contact = await getUserByEmail(test.db, { email });
    const sessions = await guestSessionRows(test.db, { userId: contact!.id });
    expect(sessions.map((g) => g.verified)).toEqual([true]);
    const forged = signIdentityToken('not the secret', { email });
    expect((await failureOf(v.widget.start(start({ userToken: forged })))).code).toBe(
      'UNAUTHORIZED',
    );
    const expired = signIdentityToken(site.secret!, {
      email,
      exp: Math.floor(Date.now() / 1000) - 5,
    });
    expect((await failureOf(v.widget.start(start({ userToken: expired })))).code).toBe(
      'UNAUTHORIZED',
    );
  });

  it('rate-limits chat starts per address and per site', async () => {
    const limited = testServices(test.db, {
      limits: {
        widgetStartsPerIp: { max: 2, windowSeconds: 60 },
        widgetStartsPerSite: { max: 1000, windowSeconds: 60 },
      },
    });
    const ip = `198.51.100.${Math.floor(Math.random() * 200)}`;
    const v = await visitor({ ip }, limited);
    await v.widget.start(start());
    await v.widget.start(start());
    const third = await failureOf(v.widget.start(start()));
    expect(third.code).toBe('TOO_MANY_REQUESTS');
    // Another address still gets through.
    await (await visitor({ ip: '192.0.2.1' }, limited)).widget.start(start());

    const site2 = await admin.widgets.create({ name: 'Busy', allowedOrigins: [shop] });
    const perSite = testServices(test.db, {
      limits: {
        widgetStartsPerIp: { max: 1000, windowSeconds: 60 },
        widgetStartsPerSite: { max: 2, windowSeconds: 60 },
      },
    });
    for (const n of [1, 2]) {
      await (
        await visitor({ ip: `192.0.2.${10 + n}` }, perSite)
      ).widget.start(start({ siteKey: site2.siteKey }));
    }
    const over = await failureOf(
      (await visitor({ ip: '192.0.2.99' }, perSite)).widget.start(
        start({ siteKey: site2.siteKey }),
      ),
    );
    expect(over.code).toBe('TOO_MANY_REQUESTS');
    await limited.hub.close();
    await perSite.hub.close();
  });
});

describe('a guest sees only the chats of its own session', () => {
  it("not another guest's chat, not a second session of the same email, not the same email's portal tickets", async () => {
    const customer = await createTestUser(test.db, 'customer');
    const portal = (await signedInCaller(services, customer.id)).caller;
    const portalTicket = await portal.tickets.create(ticketInput());

    const one = await (await visitor()).widget.start(start({ email: customer.email }));
    const two = await (await visitor()).widget.start(start({ email: customer.email }));
    const stranger = await (await visitor()).widget.start(start());
    expect(one.ticket.customer.id).toBe(customer.id);

    const guest = await visitor({ token: one.guestToken });
    expect((await guest.tickets.byId({ ticketId: one.ticket.id })).id).toBe(one.ticket.id);
    await guest.messages.send({ ticketId: one.ticket.id, body: 'Hello?', clientId: randomUUID() });
    for (const other of [two.ticket.id, stranger.ticket.id, portalTicket.id]) {
      for (const call of [
        () => guest.tickets.byId({ ticketId: other }),
        () => guest.messages.list({ ticketId: other }),
        () => guest.messages.send({ ticketId: other, body: 'x', clientId: randomUUID() }),
        () => guest.messages.markRead({ ticketId: other, seq: 1 }),
        () => guest.tickets.close({ ticketId: other }),
        () => guest.realtime.typing({ ticketId: other, typing: true }),
      ]) {
        expect((await failureOf(call())).code).toBe('NOT_FOUND');
      }
    }
    // Nothing else of the account: no list, no new portal ticket, no user data.
    expect((await failureOf(guest.tickets.list({}))).code).toBe('UNAUTHORIZED');
    expect((await failureOf(guest.tickets.create(ticketInput()))).code).toBe('UNAUTHORIZED');
    expect(await guest.auth.me()).toBeNull();
  });

  it('lets the agent reply and filter the queue by channel', async () => {
    const chat = await (await visitor()).widget.start(start());
    await agent.messages.send({
      ticketId: chat.ticket.id,
      body: 'Yes, we do!',
      clientId: randomUUID(),
    });
    const guest = await visitor({ token: chat.guestToken });
    const thread = await guest.messages.list({ ticketId: chat.ticket.id });
    expect(thread.items.map((m) => m.body)).toEqual(['Yes, we do!']);

    const widgetQueue = await agent.tickets.list({ channel: ['widget'], limit: 100 });
    expect(widgetQueue.items.every((t) => t.channel === 'widget')).toBe(true);
    expect(widgetQueue.items.map((t) => t.id)).toContain(chat.ticket.id);
    const portalQueue = await agent.tickets.list({ channel: ['portal'], limit: 100 });
    expect(portalQueue.items.map((t) => t.id)).not.toContain(chat.ticket.id);

    // The sidebar's details: the page, the browser, the phone, the site; agents only.
    const withPhone = await (await visitor()).widget.start(start({ phone: '+1 415 555 0132' }));
    expect(await agent.tickets.chatDetails({ ticketId: withPhone.ticket.id })).toEqual({
      channel: 'widget',
      pageUrl: 'https://shop.example/products/42?ref=ad',
      userAgent: 'Mozilla/5.0 (test)',
      country: null,
      phone: '+14155550132',
      widgetName: 'Shop',
      verified: false,
    });
    const asGuest = await visitor({ token: withPhone.guestToken });
    expect(
      (await failureOf(asGuest.tickets.chatDetails({ ticketId: withPhone.ticket.id }))).code,
    ).toBe('UNAUTHORIZED');
  });

  it("records the visitor's country from a local address database, never the address", async () => {
    const { lookup } = parseIpCountryCsv(
      '203.0.113.0,203.0.113.255,NO\n2001:db8::,2001:db8::ffff,SE\n',
    );
    const svc = { ...services, ipCountry: lookup };
    const fromNorway = await (await visitor({ ip: '203.0.113.7' }, svc)).widget.start(start());
    const fromSweden = await (await visitor({ ip: '2001:db8::5' }, svc)).widget.start(start());
    const unknown = await (await visitor({ ip: '198.51.100.1' }, svc)).widget.start(start());
    const countryOf = async (ticketId: string) =>
      (await agent.tickets.chatDetails({ ticketId })).country;
    expect(await countryOf(fromNorway.ticket.id)).toBe('NO');
    expect(await countryOf(fromSweden.ticket.id)).toBe('SE');
    expect(await countryOf(unknown.ticket.id)).toBeNull();
    const [row] = await ticketRows(test.db, { id: fromNorway.ticket.id });
    expect(JSON.stringify(row)).not.toContain('203.0.113.7');
  });

  it('ends with the guest session: an expired token is anonymous', async () => {
    const chat = await (await visitor()).widget.start(start());
    await expireGuestSessions(test.db);
    const guest = await visitor({ token: chat.guestToken });
    expect((await failureOf(guest.tickets.byId({ ticketId: chat.ticket.id }))).code).toBe(
      'UNAUTHORIZED',
    );
  });
});
