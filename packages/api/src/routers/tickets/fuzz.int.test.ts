import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerCall,
  openDesk,
  outcomeOf,
  ticketInput,
  type Desk,
  type ProcedureCall,
} from '../../testing';
import { signInInput, signUpInput, verifySignUpInput } from '../auth';
import { listMessagesInput, markReadInput, sendMessageInput } from '../messages/inputs';
import { typingInput } from '../realtime';
import { createUserInput, listUsersInput, updateUserInput } from '../users';
import { createBotAnswerInput, updateBotAnswerInput } from '../bot';
import {
  articleBySlugInput,
  createArticleInput,
  createCollectionInput,
  feedbackInput,
  listHelpArticlesInput,
  recordDeflectionInput,
  suggestInput,
  updateArticleInput,
} from '../help/inputs';
import { startChatInput } from '../../widgets/start-chat';
import { createWidgetInput, updateWidgetInput } from '../../widgets/widget-settings';
import { deskSiteOrigin } from '../../testing';
import { z as zod } from 'zod';
import {
  createTicketInput,
  listTicketsInput,
  rateTicketInput,
  ticketIdInput,
  updateTicketInput,
} from './inputs';

/**
 * Property-based fuzzing of every input schema (docs/test-plan.md 13): whatever a caller
 * sends, the answer is a clean tRPC error or a result, never a 500; and input the
 * schema refuses is exactly BAD_REQUEST.
 */

let desk: Desk;
let ticketId: string;
let articleId: string;
let call: ProcedureCall;
beforeAll(async () => {
  desk = await openDesk();
  ticketId = (await desk.callers.customerA.tickets.create(ticketInput())).id;
  articleId = (
    await desk.callers.agent.help.articles.create({
      title: 'Where is my parcel?',
      body: 'Within **five** days.',
      status: 'published',
    })
  ).id;
  // An admin reaches the deepest code paths (agent-only and admin-only).
  call = callerCall(desk.callers.admin);
});
afterAll(async () => {
  await desk[Symbol.asyncDispose]();
});

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Strings a parser or Postgres may choke on. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(fc.constant('\u0000'), loneSurrogate, fc.constant('é'), fc.constant(' ')),
  }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    'a\udc00b',
    '<script>alert(1)</script>',
    "'; drop table tickets; --",
  ),
  fc.nat({ max: 30_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('me', 'unassigned', '#1001', 'open', 'urgent', 'updated_desc'),
  fc.uuid(),
);
/** Any JSON-ish value, plus the values JSON cannot carry. */
const nastyValue = fc.oneof(
  nastyString,
  fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true }),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    2 ** 53,
    -1,
    0,
    1,
    1.5,
    2_147_483_648,
    true,
    null,
    undefined,
  ),
  fc.array(nastyString, { maxLength: 4 }),
);

/** An own `__proto__` key, as JSON.parse makes it. */
const withProtoKey = (value: Record<string, unknown>) =>
  JSON.parse(JSON.stringify(value).replace(/^\{/, '{"__proto__":{"role":"admin"},')) as unknown;

/** Inputs near a valid one: one field replaced, removed or added, or the whole thing odd. */
function inputsAround(valid: () => Record<string, unknown>) {
  const keys = Object.keys(valid());
  return fc.oneof(
    fc.record({ key: fc.constantFrom(...keys), value: nastyValue }).map(({ key, value }) => ({
      ...valid(),
      [key]: value,
    })),
    fc.constantFrom(...keys).map((key) => {
      const input = valid();
      delete input[key];
      return input;
    }),
    fc
      .record({ key: nastyString, value: nastyValue })
      .map(({ key, value }) => ({ ...valid(), [key]: value })),
    fc.constant(null).map(() => withProtoKey(valid())),
    nastyValue,
  );
}

type Case = { path: string; schema: z.ZodType; valid: () => Record<string, unknown> };
const cases: Case[] = [
  {
    path: 'auth.signUp',
    schema: signUpInput,
    valid: () => ({
      email: `s-${randomUUID()}@example.com`,
      password: 'long enough pw',
      name: 'S',
    }),
  },
  {
    path: 'auth.verifySignUp',
    schema: verifySignUpInput,
    valid: () => ({ token: randomUUID(), issueToken: true }),
  },
  {
    path: 'auth.signIn',
    schema: signInInput,
    valid: () => ({
      email: desk.users.customerA.email,
      password: 'wrong password',
      issueToken: true,
    }),
  },
  { path: 'realtime.typing', schema: typingInput, valid: () => ({ ticketId, typing: true }) },
  {
    path: 'tickets.create',
    schema: createTicketInput,
    valid: () => ({ ...ticketInput(), customerId: desk.users.customerA.id }),
  },
  {
    path: 'tickets.list',
    schema: listTicketsInput,
    valid: () => ({ status: ['open'], q: 'parcel', limit: 5, sort: 'priority_desc' }),
  },
  { path: 'tickets.byId', schema: ticketIdInput, valid: () => ({ ticketId }) },
  {
    path: 'tickets.update',
    schema: updateTicketInput,
    valid: () => ({ ticketId, priority: 'high', assigneeId: null }),
  },
  { path: 'tickets.close', schema: ticketIdInput, valid: () => ({ ticketId }) },
  { path: 'tickets.reopen', schema: ticketIdInput, valid: () => ({ ticketId }) },
  {
    path: 'tickets.rate',
    schema: rateTicketInput,
    valid: () => ({ ticketId, score: 3, comment: 'ok' }),
  },
  {
    path: 'messages.list',
    schema: listMessagesInput,
    valid: () => ({ ticketId, before: 10, limit: 5 }),
  },
  {
    path: 'messages.send',
    schema: sendMessageInput,
    valid: () => ({ ticketId, body: 'hello', clientId: randomUUID() }),
  },
  { path: 'messages.markRead', schema: markReadInput, valid: () => ({ ticketId, seq: 1 }) },
  { path: 'users.list', schema: listUsersInput, valid: () => ({ role: ['agent'], q: 'a' }) },
  {
    path: 'users.create',
    schema: createUserInput,
    valid: () => ({
      email: `f-${randomUUID()}@example.com`,
      name: 'F',
      role: 'agent',
      password: 'long enough pw',
    }),
  },
  {
    path: 'users.update',
    schema: updateUserInput,
    valid: () => ({ userId: desk.users.customerB.id, role: 'customer' }),
  },
  {
    path: 'help.articles.list',
    schema: listHelpArticlesInput,
    valid: () => ({ q: 'parc', collection: 'orders', audience: 'public', limit: 5 }),
  },
  { path: 'help.articles.bySlug', schema: articleBySlugInput, valid: () => ({ slug: 'where-is' }) },
  {
    path: 'help.articles.create',
    schema: createArticleInput,
    valid: () => ({ title: 'Fuzzed article', body: '# Hi', status: 'draft', audience: 'public' }),
  },
  {
    path: 'help.articles.update',
    schema: updateArticleInput,
    valid: () => ({ articleId, summary: 'Parcels.', position: 2 }),
  },
  {
    path: 'help.articles.feedback',
    schema: feedbackInput,
    valid: () => ({ articleId, helpful: true }),
  },
  { path: 'help.suggest', schema: suggestInput, valid: () => ({ text: 'where is it?', limit: 3 }) },
  {
    path: 'help.deflections.record',
    schema: recordDeflectionInput,
    valid: () => ({ articleIds: [articleId], outcome: 'deflected' }),
  },
  {
    path: 'help.collections.create',
    schema: createCollectionInput,
    valid: () => ({ title: `Orders ${randomUUID()}`, description: 'All about orders' }),
  },
  {
    path: 'bot.answers.create',
    schema: createBotAnswerInput,
    valid: () => ({ name: 'Hours', phrasings: ['open?'], reply: 'Always.', articleId }),
  },
  {
    path: 'bot.answers.update',
    schema: updateBotAnswerInput,
    valid: () => ({ answerId: randomUUID(), reply: 'Never.' }),
  },
  {
    path: 'widget.config',
    schema: zod.strictObject({ siteKey: zod.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
    valid: () => ({ siteKey: desk.guest.widget.siteKey }),
  },
  {
    path: 'widget.start',
    schema: startChatInput,
    valid: () => ({
      siteKey: desk.guest.widget.siteKey,
      hostOrigin: deskSiteOrigin,
      name: 'Fuzz',
      email: `w-${randomUUID()}@example.com`,
      phone: '+14155550123',
      message: 'hello',
      clientId: randomUUID(),
      pageUrl: 'https://shop.example/a?b=c',
      userToken: 'e30.abc',
    }),
  },
  {
    path: 'widgets.create',
    schema: createWidgetInput,
    valid: () => ({
      name: 'Fuzz site',
      allowedOrigins: ['https://fuzz.example'],
      title: 'Hi',
      color: '#123456',
      greeting: 'Hello',
      position: 'left',
      requirePhone: true,
      enabled: false,
    }),
  },
  {
    path: 'widgets.update',
    schema: updateWidgetInput,
    valid: () => ({ widgetId: desk.guest.widget.id, title: 'T', allowedOrigins: [deskSiteOrigin] }),
  },
];

describe('fuzzing every input schema', () => {
  for (const { path, schema, valid } of cases) {
    it(`${path}: only BAD_REQUEST for bad input, never a 500`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsAround(valid), async (input) => {
          const outcome = await outcomeOf(call(path, input));
          expect(outcome).not.toBe('INTERNAL_SERVER_ERROR');
          if (!schema.safeParse(input).success)
            expect([path, outcome]).toEqual([path, 'BAD_REQUEST']);
        }),
        { numRuns: 120 },
      );
    });
  }
});
