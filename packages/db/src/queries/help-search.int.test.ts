import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  getHelpArticle,
  insertHelpArticle,
  listHelpArticles,
  suggestHelpArticles,
  type HelpArticleFields,
} from './help-articles';

let test: TestDatabase;

const article = (fields: Partial<HelpArticleFields> & { slug: string; title: string }) => ({
  summary: '',
  body: 'Nothing to see here.',
  audience: 'public' as const,
  status: 'published' as const,
  position: 0,
  collectionId: null,
  ...fields,
});

beforeAll(async () => {
  test = await createTestDatabase();
  const rows = [
    article({
      slug: 'refunds',
      title: 'How refunds work',
      summary: 'When the money comes back to your card.',
      body: 'We refund the original payment method within five working days of receiving the parcel.',
    }),
    article({
      slug: 'shipping-times',
      title: 'Shipping times',
      body: 'Orders leave the warehouse within two days. International deliveries take longer.',
    }),
    article({
      slug: 'track-order',
      title: 'Tracking your order',
      body: 'Use the tracking link in the shipping confirmation email.',
    }),
    article({
      slug: 'password',
      title: 'Resetting your password',
      body: 'Choose "Forgot password" on the sign-in page; a refund is not involved.',
    }),
    article({ slug: 'draft', title: 'Refund exceptions', status: 'draft' }),
    article({ slug: 'members', title: 'Refunds for members', audience: 'customers' }),
  ];
  for (const fields of rows) await insertHelpArticle(test.db, { fields, editorId: null });
});
afterAll(async () => {
  await test[Symbol.asyncDispose]();
});

const slugs = (rows: { slug: string }[]) => rows.map((row) => row.slug);
const anyone = null;

describe('help article search', () => {
  it('finds an article by a stemmed form of a word ("refunded" → "How refunds work")', async () => {
    const rows = await listHelpArticles(test.db, { reader: anyone, q: 'refunded', limit: 10 });
    // Title matches rank above a body mention (the password article mentions "refund").
    expect(slugs(rows)).toEqual(['refunds', 'password']);
  });

  it('finds an article by a half-typed word (type-ahead prefix)', async () => {
    expect(
      slugs(await listHelpArticles(test.db, { reader: anyone, q: 'shippi', limit: 10 })),
    ).toEqual(['shipping-times', 'track-order']);
    expect(
      slugs(await listHelpArticles(test.db, { reader: anyone, q: 'trac', limit: 10 })),
    ).toEqual(['track-order']);
  });

  it('needs every word, ignores stop words and punctuation, and matches nothing on stop words alone', async () => {
    expect(
      slugs(
        await listHelpArticles(test.db, {
          reader: anyone,
          q: 'How do I track my order?',
          limit: 10,
        }),
      ),
    ).toEqual(['track-order']);
    expect(await listHelpArticles(test.db, { reader: anyone, q: 'how do I', limit: 10 })).toEqual(
      [],
    );
    expect(
      await listHelpArticles(test.db, { reader: anyone, q: `'"):*&|!<-> \\`, limit: 10 }),
    ).toEqual([]);
  });

  it('shows drafts to agents only and customers-only articles to signed-in readers', async () => {
    const q = 'refund';
    expect(slugs(await listHelpArticles(test.db, { reader: anyone, q, limit: 10 }))).not.toContain(
      'members',
    );
    const customer = slugs(
      await listHelpArticles(test.db, { reader: { role: 'customer' }, q, limit: 10 }),
    );
    expect(customer).toContain('members');
    expect(customer).not.toContain('draft');
    const agent = slugs(
      await listHelpArticles(test.db, { reader: { role: 'agent' }, q, limit: 10 }),
    );
    expect(agent).toEqual(expect.arrayContaining(['draft', 'members', 'refunds']));
    expect(await getHelpArticle(test.db, { reader: anyone, slug: 'draft' })).toBeUndefined();
    expect(
      await getHelpArticle(test.db, { reader: { role: 'customer' }, slug: 'draft' }),
    ).toBeUndefined();
    expect(await getHelpArticle(test.db, { reader: anyone, slug: 'members' })).toBeUndefined();
    expect(
      (await getHelpArticle(test.db, { reader: { role: 'agent' }, slug: 'draft' }))?.title,
    ).toBe('Refund exceptions');
  });

  it('suggests articles for a question by how many of its stemmed words they match', async () => {
    const { rows, words } = await suggestHelpArticles(test.db, {
      reader: anyone,
      text: 'When will my refunded order be shipped?',
      limit: 5,
    });
    // Words: refund, order, ship (+ "shipped" by prefix); the most words first, then the
    // title's matches ("How refunds work" above a body mention).
    expect(words).toBe(3);
    expect(rows.map((row) => [row.slug, row.score])).toEqual([
      ['track-order', 2],
      ['shipping-times', 2],
      ['refunds', 1],
      ['password', 1],
    ]);
    // Drafts are never suggested, not even to agents.
    const agent = await suggestHelpArticles(test.db, {
      reader: { role: 'agent' },
      text: 'refund',
      limit: 10,
    });
    expect(slugs(agent.rows)).not.toContain('draft');
  });
});
