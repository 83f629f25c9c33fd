import { countHelpDeflections } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousCaller, failureOf, openDesk, type Desk } from '../../testing';

/**
 * The help centre through the router (docs/test-plan.md 38–40): who reads what, search
 * by stem and prefix, suggestions, "was this helpful?" counted and limited per
 * address, deflections recorded.
 */

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk({ limits: { helpFeedbackPerIp: { max: 3, windowSeconds: 60 } } });
});
afterAll(async () => {
  await desk[Symbol.asyncDispose]();
});

const publish = (title: string, fields: Record<string, unknown> = {}) =>
  desk.callers.agent.help.articles.create({
    title,
    summary: `About ${title.toLowerCase()}.`,
    body: 'Nothing else to say.',
    status: 'published',
    ...fields,
  });

describe('help articles', () => {
  it('lets anyone read published public articles, and nobody but agents drafts; customers-only needs a customer', async () => {
    const collection = await desk.callers.agent.help.collections.create({ title: 'Returns' });
    const open = await publish('Returning a parcel', {
      collectionId: collection.id,
      body: 'Print the label, then <script>alert(1)</script> [drop it off](javascript:alert(1)).',
    });
    const draft = await publish('Returning furniture', { status: 'draft' });
    const members = await publish('Returns for members', { audience: 'customers' });
    const { anonymous, customerA, agent } = desk.callers;

    const page = await anonymous.help.articles.bySlug({ slug: 'returning-a-parcel' });
    expect(page).toMatchObject({
      id: open.id,
      title: 'Returning a parcel',
      collection: { slug: 'returns' },
    });
    expect(page.html).toContain('&lt;script&gt;');
    expect(page.html).not.toContain('href="javascript');
    expect(page.staff).toBeUndefined(); // no editor, no counts, no Markdown for readers

    for (const slug of [draft.slug, members.slug]) {
      expect((await failureOf(anonymous.help.articles.bySlug({ slug }))).code).toBe('NOT_FOUND');
    }
    expect((await failureOf(customerA.help.articles.bySlug({ slug: draft.slug }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await customerA.help.articles.bySlug({ slug: members.slug })).id).toBe(members.id);
    expect((await agent.help.articles.bySlug({ slug: draft.slug })).staff?.body).toBe(
      'Nothing else to say.',
    );

    const titles = async (caller: typeof anonymous) =>
      (await caller.help.articles.list({ q: 'returns' })).items.map((item) => item.title).sort();
    expect(await titles(anonymous)).toEqual(['Returning a parcel']);
    expect(await titles(customerA)).toEqual(['Returning a parcel', 'Returns for members']);
    const forAgents = await agent.help.articles.list({ q: 'returns' });
    expect(forAgents.items.find((item) => item.id === draft.id)?.status).toBe('draft');

    const collections = await anonymous.help.collections.list();
    expect(collections.map((c) => [c.slug, c.articleCount])).toEqual([['returns', 1]]);
  });

  it('finds an article by a stemmed or half-typed word', async () => {
    const article = await publish('Cancelling a subscription', {
      body: 'Subscriptions renew monthly until you cancel them.',
    });
    const { anonymous } = desk.callers;
    for (const q of [
      'cancelled',
      'cancels',
      'subscript',
      'canc',
      'How do I cancel my subscriptions?',
    ]) {
      const ids = (await anonymous.help.articles.list({ q })).items.map((item) => item.id);
      expect([q, ids]).toEqual([q, [article.id]]);
    }
  });

  it('suggests the articles matching most of a question', async () => {
    const delivery = await publish('Delivery times for international orders', {
      body: 'International orders are delivered within ten working days.',
    });
    const other = await publish('Paying for international orders');
    const { items, words } = await desk.callers.anonymous.help.suggest({
      text: 'How long does delivery of an international order take?',
    });
    expect(words).toBe(5); // long, delivery, international, order, take
    expect(items[0]).toMatchObject({ article: { id: delivery.id }, score: 3 });
    expect(items.find((item) => item.article.id === other.id)?.score).toBe(2);
    expect(items.length).toBeLessThanOrEqual(3);
    expect(await desk.callers.anonymous.help.suggest({ text: 'how do I' })).toEqual({
      items: [],
      words: 0,
    });
  });

  it('counts "was this helpful?" and limits it per address', async () => {
    const article = await publish('Changing your email address');
    const { caller } = await anonymousCaller(desk.services);
    await caller.help.articles.feedback({ articleId: article.id, helpful: true });
    await caller.help.articles.feedback({ articleId: article.id, helpful: true });
    await caller.help.articles.feedback({ articleId: article.id, helpful: false });
    const refused = await failureOf(
      caller.help.articles.feedback({ articleId: article.id, helpful: true }),
    );
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    const counts = (await desk.callers.agent.help.articles.byId({ articleId: article.id })).staff;
    expect(counts).toMatchObject({ helpfulCount: 2, notHelpfulCount: 1 });
  });

  it('records what followed opening suggested articles in the new-ticket form', async () => {
    const article = await publish('Resetting your password');
    const draft = await publish('Unfinished', { status: 'draft' });
    const { customerA } = desk.callers;
    expect(
      await customerA.help.deflections.record({
        articleIds: [article.id, draft.id],
        outcome: 'deflected',
      }),
    ).toEqual({ recorded: 1 }); // a draft the customer cannot read is not counted
    await customerA.help.deflections.record({ articleIds: [article.id], outcome: 'ticket' });
    expect(await countHelpDeflections(desk.db, { articleId: article.id })).toEqual({
      deflected: 1,
      ticket: 1,
    });
    await customerA.help.deflections.record({ articleIds: [article.id], outcome: 'deflected' });
    const stats = await desk.callers.agent.help.stats();
    expect(stats.deflected[0]).toEqual({
      article: { id: article.id, slug: article.slug, title: 'Resetting your password' },
      count: 2,
    });
    expect(stats.ticketAnyway).toContainEqual({
      article: { id: article.id, slug: article.slug, title: 'Resetting your password' },
      count: 1,
    });
  });

  it('gives articles readable addresses and refuses a taken one', async () => {
    const first = await publish("Where's my order?");
    const second = await publish("Where's my order?");
    expect([first.slug, second.slug]).toEqual(['wheres-my-order', 'wheres-my-order-2']);
    const taken = await failureOf(
      desk.callers.agent.help.articles.update({ articleId: second.id, slug: 'wheres-my-order' }),
    );
    expect(taken.code).toBe('CONFLICT');
    const moved = await desk.callers.agent.help.articles.update({
      articleId: second.id,
      slug: 'where-is-my-order',
      status: 'draft',
    });
    expect(moved).toMatchObject({ slug: 'where-is-my-order', status: 'draft' });
  });

  it('lets admins keep bot answers that point to articles', async () => {
    const article = await publish('Opening hours');
    const answer = await desk.callers.admin.bot.answers.create({
      name: 'Opening hours',
      phrasings: ['when are you open', 'hours'],
      reply: 'Every day from 8:00 to 20:00.',
      articleId: article.id,
    });
    expect(answer.article).toMatchObject({ id: article.id, slug: 'opening-hours' });
    await desk.callers.admin.help.articles.delete({ articleId: article.id });
    const [kept] = (await desk.callers.admin.bot.answers.list()).filter((a) => a.id === answer.id);
    expect(kept).toMatchObject({ reply: 'Every day from 8:00 to 20:00.', article: null });
    const bad = await failureOf(
      desk.callers.admin.bot.answers.update({ answerId: answer.id, articleId: article.id }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
  });
});
