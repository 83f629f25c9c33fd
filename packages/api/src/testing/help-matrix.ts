import { randomUUID } from 'node:crypto';
import type { MatrixCase, MatrixWorld, Outcome, Who } from './support-desk';

/**
 * The authorization matrix's cases for the help centre and the bot's answers. Anyone
 * reads published public articles; signed-in customers also customers-only ones;
 * drafts are agents' only; agents write, admins delete.
 */

const rows = (
  anonymous: Outcome,
  customerA: Outcome,
  customerB: Outcome,
  agent: Outcome,
  admin: Outcome,
  // A chat-widget guest is no account: the help centre answers it as it answers anyone.
): Record<Who, Outcome> => ({ anonymous, customerA, customerB, agent, admin, guest: anonymous });

const everyone = rows('ok', 'ok', 'ok', 'ok', 'ok');
const agents = rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok');
const admins = rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok');

type Article = { id: string; slug: string };

/** A fresh article written by the agent. */
async function articleOf(
  world: MatrixWorld,
  fields: { audience?: 'public' | 'customers'; status?: 'draft' | 'published' } = {},
): Promise<Article> {
  return (await world.as.agent('help.articles.create', {
    title: `Where is my parcel ${randomUUID().slice(0, 8)}`,
    body: 'Most parcels arrive **within five working days**.',
    status: 'published',
    ...fields,
  })) as Article;
}

async function collectionOf(world: MatrixWorld): Promise<string> {
  const collection = (await world.as.agent('help.collections.create', {
    title: `Orders ${randomUUID().slice(0, 8)}`,
  })) as { id: string };
  return collection.id;
}

async function answerOf(world: MatrixWorld): Promise<string> {
  const answer = (await world.as.admin('bot.answers.create', {
    name: 'Opening hours',
    phrasings: ['when are you open', 'opening hours'],
    reply: 'We answer every day from 8:00 to 20:00.',
  })) as { id: string };
  return answer.id;
}

export const helpMatrix: MatrixCase[] = [
  { name: 'list articles', path: 'help.articles.list', input: async () => ({}), expect: everyone },
  {
    name: 'a published public article',
    path: 'help.articles.bySlug',
    input: async (w) => ({ slug: (await articleOf(w)).slug }),
    expect: everyone,
  },
  {
    name: 'a draft',
    path: 'help.articles.bySlug',
    input: async (w) => ({ slug: (await articleOf(w, { status: 'draft' })).slug }),
    expect: rows('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'ok', 'ok'),
  },
  {
    name: 'a customers-only article',
    path: 'help.articles.bySlug',
    input: async (w) => ({ slug: (await articleOf(w, { audience: 'customers' })).slug }),
    expect: rows('NOT_FOUND', 'ok', 'ok', 'ok', 'ok'),
  },
  {
    name: 'an article by id (the editor)',
    path: 'help.articles.byId',
    input: async (w) => ({ articleId: (await articleOf(w, { status: 'draft' })).id }),
    expect: agents,
  },
  {
    name: 'preview Markdown',
    path: 'help.articles.preview',
    input: async () => ({ body: '# Hello' }),
    expect: agents,
  },
  {
    name: 'write an article',
    path: 'help.articles.create',
    input: async () => ({ title: 'Changing your address', body: 'Open **Account**.' }),
    expect: agents,
  },
  {
    name: 'edit an article',
    path: 'help.articles.update',
    input: async (w) => ({ articleId: (await articleOf(w)).id, summary: 'Where parcels are.' }),
    expect: agents,
  },
  {
    name: 'delete an article',
    path: 'help.articles.delete',
    input: async (w) => ({ articleId: (await articleOf(w)).id }),
    expect: admins,
  },
  {
    name: '"was this helpful?" on a published article',
    path: 'help.articles.feedback',
    input: async (w) => ({ articleId: (await articleOf(w)).id, helpful: true }),
    expect: everyone,
  },
  {
    name: '"was this helpful?" on a draft counts nothing',
    path: 'help.articles.feedback',
    input: async (w) => ({
      articleId: (await articleOf(w, { status: 'draft' })).id,
      helpful: true,
    }),
    expect: rows('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND'),
  },
  {
    name: 'suggest articles for a question',
    path: 'help.suggest',
    input: async () => ({ text: 'where is my parcel?' }),
    expect: everyone,
  },
  { name: 'deflection figures', path: 'help.stats', input: async () => undefined, expect: agents },
  {
    name: 'record a deflection',
    path: 'help.deflections.record',
    input: async (w) => ({ articleIds: [(await articleOf(w)).id], outcome: 'deflected' }),
    expect: rows('UNAUTHORIZED', 'ok', 'ok', 'ok', 'ok'),
  },
  {
    name: 'list collections',
    path: 'help.collections.list',
    expect: everyone,
    input: async () => undefined,
  },
  {
    name: 'create a collection',
    path: 'help.collections.create',
    input: async () => ({ title: `Payments ${randomUUID().slice(0, 8)}` }),
    expect: agents,
  },
  {
    name: 'edit a collection',
    path: 'help.collections.update',
    input: async (w) => ({ collectionId: await collectionOf(w), description: 'Cards and refunds' }),
    expect: agents,
  },
  {
    name: 'delete a collection',
    path: 'help.collections.delete',
    input: async (w) => ({ collectionId: await collectionOf(w) }),
    expect: admins,
  },
  {
    name: 'list bot answers',
    path: 'bot.answers.list',
    input: async () => undefined,
    expect: admins,
  },
  {
    name: 'create a bot answer',
    path: 'bot.answers.create',
    input: async () => ({ name: 'Hours', phrasings: ['open'], reply: 'Every day.' }),
    expect: admins,
  },
  {
    name: 'edit a bot answer',
    path: 'bot.answers.update',
    input: async (w) => ({ answerId: await answerOf(w), reply: 'Every day, 8 to 20.' }),
    expect: admins,
  },
  {
    name: 'delete a bot answer',
    path: 'bot.answers.delete',
    input: async (w) => ({ answerId: await answerOf(w) }),
    expect: admins,
  },
];
