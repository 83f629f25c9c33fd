import { randomUUID } from 'node:crypto';
import { createTestDatabase, ticketRows, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext, type Services } from '../context';
import {
  createCaller,
  createTestUser,
  signedInCaller,
  testServices,
  ticketEvents,
  type Caller,
} from '../testing';
import { talkToPerson } from './replies';

let test: TestDatabase;
let services: Services;
let admin: Caller;
let agent: Caller;
let site: { id: string; siteKey: string };
const shop = 'https://shop.example';
const articles: Record<'returns' | 'shipping' | 'password', { id: string; slug: string }> =
  {} as never;
let hoursId: string;
let orderId: string;

beforeAll(async () => {
  test = await createTestDatabase();
  services = testServices(test.db);
  admin = (await signedInCaller(services, (await createTestUser(test.db, 'admin')).id)).caller;
  agent = (await signedInCaller(services, (await createTestUser(test.db, 'agent')).id)).caller;
  site = await admin.widgets.create({ name: 'Shop', allowedOrigins: [shop] });
  const publish = (title: string, summary: string, body: string) =>
    admin.help.articles.create({ title, summary, body, status: 'published' });
  articles.returns = await publish(
    'Returns and refunds',
    'Send an item back within 30 days for a full refund.',
    'You can return anything within 30 days. We refund the price once the parcel is back.',
  );
  articles.shipping = await publish(
    'Shipping times and costs',
    'Orders ship within 2 working days; delivery takes 3–5 days.',
    'We ship to every country in Europe, Norway and Switzerland included. Shipping is free over €50.',
  );
  articles.password = await publish(
    'Reset your password',
    'Use the "Forgot password" link on the sign-in page.',
    'Forgot your password? The sign-in page sends you a link to choose a new one.',
  );
  // A draft is never an answer.
  await admin.help.articles.create({
    title: 'Secret winter sale',
    body: 'The winter sale starts on the first of December with discounts on everything.',
  });
  hoursId = (
    await admin.bot.answers.create({
      name: 'Opening hours',
      phrasings: ['opening hours', 'when are you open'],
      reply: 'We are open 9:00–17:00, Monday to Friday.',
      position: 1,
    })
  ).id;
  orderId = (
    await admin.bot.answers.create({
      name: 'Order status',
      phrasings: ['where is my order', 'track my order'],
      reply: 'The tracking link is in your shipping confirmation email.',
      articleId: articles.shipping.id,
      position: 2,
    })
  ).id;
});
afterAll(async () => {
  await services.hub.close();
  await test[Symbol.asyncDispose]();
});

let ip = 1;
/** A visitor's caller: a fresh address each time (starts are limited per address). */
async function visitor(token: string | null = null) {
  const ctx = await createInnerContext(services, {
    token,
    crossOrigin: shop,
    clientIp: `198.51.100.${ip++ % 250}`,
    userAgent: 'Mozilla/5.0 (test)',
  });
  return createCaller(ctx);
}

/** Starts a chat with `message`; returns the guest's caller and the ticket. */
async function chat(message: string, siteKey = site.siteKey) {
  const started = await (
    await visitor()
  ).widget.start({
    siteKey,
    hostOrigin: shop,
    name: 'Vera Visitor',
    email: `vera-${randomUUID().slice(0, 8)}@example.com`,
    message,
    clientId: randomUUID(),
  });
  const guest = await visitor(started.guestToken);
  const ticketId = started.ticket.id;
  const say = (body: string) => guest.messages.send({ ticketId, body, clientId: randomUUID() });
  const thread = async () => (await guest.messages.list({ ticketId })).items;
  const botMessages = async () => (await thread()).filter((m) => m.author.role === 'bot');
  const lastBot = async () => (await botMessages()).at(-1);
  const state = async () => (await ticketRows(test.db, { id: ticketId }))[0];
  return { guest, ticketId, say, thread, botMessages, lastBot, state };
}

const agentListIds = async (bot?: 'hide' | 'only' | 'all') =>
  (
    await agent.tickets.list({ channel: ['widget'], limit: 100, ...(bot ? { bot } : {}) })
  ).items.map((t) => t.id);

describe('the bot answers first', () => {
  it.each([
    {
      question: 'When are you open on Saturday?',
      body: 'We are open 9:00–17:00, Monday to Friday.',
      articleId: undefined,
      suggestions: ['where is my order', talkToPerson],
    },
    {
      question: 'Where is my order? It has been a week',
      body: 'The tracking link is in your shipping confirmation email.\nRead more: /help/shipping-times-and-costs',
      articleId: 'shipping',
      suggestions: ['opening hours', talkToPerson],
    },
    {
      question: 'Can I return my jacket for a refund?',
      body: 'Returns and refunds\nSend an item back within 30 days for a full refund.\nRead more: /help/returns-and-refunds',
      articleId: 'returns',
      suggestions: ['opening hours', 'where is my order', talkToPerson],
    },
    {
      question: 'Do you ship to Norway?',
      body: 'Shipping times and costs\nOrders ship within 2 working days; delivery takes 3–5 days.\nRead more: /help/shipping-times-and-costs',
      articleId: 'shipping',
      suggestions: ['opening hours', 'where is my order', talkToPerson],
    },
    {
      question: 'I forgot my password',
      body: 'Reset your password\nUse the "Forgot password" link on the sign-in page.\nRead more: /help/reset-your-password',
      articleId: 'password',
      suggestions: ['opening hours', 'where is my order', talkToPerson],
    },
  ] as const)('answers "$question" with the right answer or article and chips', async (fixture) => {
    const c = await chat(fixture.question);
    const reply = await c.lastBot();
    expect(reply).toMatchObject({
      body: fixture.body,
      internal: false,
      author: { id: null, name: 'Parley bot', role: 'bot' },
      metadata: {
        suggestions: fixture.suggestions,
        ...(fixture.articleId ? { articleId: articles[fixture.articleId].id } : {}),
      },
    });
    if (!fixture.articleId) expect(reply?.metadata).not.toHaveProperty('articleId');
    expect(await c.state()).toMatchObject({ botState: 'active', botFailures: 0 });
  });

  it('greets, thanks and says goodbye, always offering a person', async () => {
    const c = await chat('Hello!');
    const greeting = await c.lastBot();
    expect(greeting?.body).toMatch(/^Hello!/);
    expect(greeting?.metadata).toEqual({
      suggestions: ['opening hours', 'where is my order', talkToPerson],
    });
    await c.say('thanks so much');
    expect((await c.lastBot())?.body).toMatch(/welcome/);
    await c.say('bye');
    expect((await c.lastBot())?.body).toMatch(/^Goodbye/);
    expect(await c.state()).toMatchObject({ botState: 'active', botFailures: 0 });
  });

  it('answers a chip as the visitor’s message: the chip’s answer follows', async () => {
    const c = await chat('hi');
    const [chip] = (await c.lastBot())?.metadata?.suggestions ?? [];
    expect(chip).toBe('opening hours');
    await c.say(chip!);
    expect((await c.lastBot())?.body).toBe('We are open 9:00–17:00, Monday to Friday.');
    expect((await c.thread()).map((m) => m.author.role)).toEqual(['bot', 'customer', 'bot']);
  });

  it('writes its messages through the event log like any message, with their chips', async () => {
    const c = await chat('Do you ship to Norway?');
    const created = (await ticketEvents(test.db, c.ticketId)).filter(
      (e) => e.type === 'message.created',
    );
    expect(created).toHaveLength(1);
    expect(created[0]?.audience).toBe('all');
    expect(created[0]?.payload).toMatchObject({
      author: { role: 'bot' },
      metadata: {
        articleId: articles.shipping.id,
        suggestions: ['opening hours', 'where is my order', talkToPerson],
      },
    });
  });

  it('keeps chats it handles out of the agents’ default list; `bot: only` and `all` show them', async () => {
    const c = await chat('When are you open?');
    expect(await agentListIds()).not.toContain(c.ticketId);
    expect(await agentListIds('hide')).not.toContain(c.ticketId);
    expect(await agentListIds('only')).toContain(c.ticketId);
    expect(await agentListIds('all')).toContain(c.ticketId);
  });
});

describe('handoff', () => {
  it('by the "Talk to a person" chip: "Connecting you…", the agents’ queue, and the bot says nothing after', async () => {
    const c = await chat('Do you ship to Norway?');
    await c.say(talkToPerson);
    const handoff = await c.lastBot();
    expect(handoff?.body).toMatch(/^Connecting you with the team… /);
    expect(handoff?.metadata).toEqual({ suggestions: [] });
    const handedOff = await c.state();
    expect(handedOff?.botState).toBe('handed_off');
    expect(handedOff?.handedOffAt).toBeInstanceOf(Date);
    expect(await agentListIds()).toContain(c.ticketId);
    expect(await agentListIds('only')).not.toContain(c.ticketId);

    const bots = (await c.botMessages()).length;
    await c.say('Do you ship to Norway?');
    await c.say('hello?');
    expect(await c.botMessages()).toHaveLength(bots);
    expect((await c.thread()).at(-1)).toMatchObject({
      body: 'hello?',
      author: { role: 'customer' },
    });
  });

  it('by typing "agent" (also as the first message) or asking to speak to someone', async () => {
    const first = await chat('agent');
    expect((await first.lastBot())?.body).toMatch(/^Connecting you with the team/);
    expect((await first.state())?.botState).toBe('handed_off');
    expect(await agentListIds()).toContain(first.ticketId);

    const later = await chat('hi');
    await later.say('Can I speak to a human about my refund?');
    expect((await later.state())?.botState).toBe('handed_off');
  });

  it('after two replies it did not understand', async () => {
    const c = await chat('blorp zzyzx');
    const notUnderstood = await c.lastBot();
    expect(notUnderstood?.body).toMatch(/didn't understand/);
    expect(notUnderstood?.metadata).toEqual({
      suggestions: ['opening hours', 'where is my order', talkToPerson],
    });
    expect(await c.state()).toMatchObject({ botState: 'active', botFailures: 1 });
    await c.say('quux frobnicate');
    expect((await c.lastBot())?.body).toMatch(
      /^Sorry, I couldn't find an answer to that\. Connecting you with the team…/,
    );
    expect(await c.state()).toMatchObject({ botState: 'handed_off', botFailures: 2 });
    expect(await agentListIds()).toContain(c.ticketId);
  });

  it('by `tickets.handoff` from the guest, once', async () => {
    const c = await chat('When are you open?');
    const ticket = await c.guest.tickets.handoff({ ticketId: c.ticketId });
    expect(ticket.id).toBe(c.ticketId);
    expect((await c.state())?.botState).toBe('handed_off');
    await c.guest.tickets.handoff({ ticketId: c.ticketId });
    expect((await c.botMessages()).map((m) => m.body.slice(0, 10))).toEqual([
      'We are ope',
      'Connecting',
    ]);
  });

  it('when an agent replies: the agent takes the chat over', async () => {
    const c = await chat('When are you open?');
    await agent.messages.send({
      ticketId: c.ticketId,
      body: 'Hi, I can help too',
      clientId: randomUUID(),
    });
    expect((await c.state())?.botState).toBe('handed_off');
    await c.say('Great, where is my order?');
    expect(await c.botMessages()).toHaveLength(1);
  });
});

describe('what the bot never says', () => {
  it('never repeats an internal note, and the visitor never sees one', async () => {
    const c = await chat('hi');
    await agent.messages.send({
      ticketId: c.ticketId,
      body: 'Internal: refund code ZX-42 for this visitor, returns approved',
      internal: true,
      clientId: randomUUID(),
    });
    // An internal note does not take the chat from the bot.
    expect((await c.state())?.botState).toBe('active');
    await c.say('What is the refund code ZX-42 for my returns?');
    const thread = await c.thread();
    expect(thread.some((m) => m.internal)).toBe(false);
    expect(thread.filter((m) => m.body.includes('ZX-42'))).toHaveLength(1); // the visitor's own
    expect(thread.at(-1)?.author.role).toBe('bot');
    expect(thread.at(-1)?.body).not.toContain('ZX-42');
    expect(thread.at(-1)?.body).not.toMatch(/Internal/);
  });
});

describe('tickets.stats', () => {
  it('counts the chats the bot answered, closed without a person, and handed off', async () => {
    const before = (await agent.tickets.stats()).bot;
    const handed = await chat('When are you open?');
    await handed.say(talkToPerson);
    const closed = await chat('Do you ship to Norway?');
    await closed.guest.tickets.close({ ticketId: closed.ticketId });
    await chat('Hello');
    const after = (await agent.tickets.stats()).bot;
    expect(after).toEqual({
      answered: before.answered + 3,
      resolvedWithoutPerson: before.resolvedWithoutPerson + 1,
      handedOff: before.handedOff + 1,
    });
  });
});

describe('with the bot off', () => {
  it('sends chats straight to the queue', async () => {
    const quiet = await admin.widgets.create({
      name: 'Quiet',
      allowedOrigins: [shop],
      botEnabled: false,
    });
    expect(quiet.botEnabled).toBe(false);
    const c = await chat('Do you ship to Norway?', quiet.siteKey);
    expect(await c.thread()).toEqual([]);
    expect((await c.state())?.botState).toBe('none');
    expect(await agentListIds()).toContain(c.ticketId);

    const toggled = await admin.widgets.update({ widgetId: quiet.id, botEnabled: true });
    expect(toggled.botEnabled).toBe(true);
    const answered = await chat('Do you ship to Norway?', quiet.siteKey);
    expect((await answered.state())?.botState).toBe('active');
  });

  it('is off while it has nothing to answer with (no enabled answer, no published article)', async () => {
    for (const id of [hoursId, orderId])
      await admin.bot.answers.update({ answerId: id, enabled: false });
    for (const { id } of Object.values(articles))
      await admin.help.articles.update({ articleId: id, status: 'draft' });
    try {
      const c = await chat('Do you ship to Norway?');
      expect((await c.state())?.botState).toBe('none');
      expect(await c.thread()).toEqual([]);
    } finally {
      for (const id of [hoursId, orderId])
        await admin.bot.answers.update({ answerId: id, enabled: true });
      for (const { id } of Object.values(articles))
        await admin.help.articles.update({ articleId: id, status: 'published' });
    }
  });
});
