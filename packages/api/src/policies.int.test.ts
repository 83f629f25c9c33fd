import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root';
import {
  anonymousCaller,
  callerCall,
  outcomeOf,
  proceduresWithoutMatrixCase,
  testServices,
} from './testing';
import type { Meta } from './trpc';

type ProcedureDef = { _def: { meta?: Meta; type: string } };
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
const publicProcedures = [
  'auth.signUp',
  'auth.signIn',
  'auth.me',
  // Emailed links: the sign-up's, "forgot your password?", the reset and the invitation.
  'auth.verifySignUp',
  'auth.requestPasswordReset',
  'auth.resetPassword',
  'auth.acceptInvite',
  // The help centre is readable without signing in (published public articles only).
  'help.articles.list',
  'help.articles.bySlug',
  'help.articles.feedback',
  'help.collections.list',
  'help.suggest',
  'widget.config',
  'widget.start',
];
/** What a chat-widget guest token may call (on the chats of its own guest session). */
const guestProcedures = [
  'attachments.upload',
  'messages.list',
  'messages.markRead',
  'messages.send',
  'realtime.onTicket',
  'realtime.typing',
  'tickets.byId',
  'tickets.close',
  'tickets.handoff',
  'tickets.rate',
];

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test[Symbol.asyncDispose]();
});

describe('authorization policies', () => {
  it('gives every procedure of the router an explicit policy (deny by default)', () => {
    const paths = Object.keys(procedures);
    expect(paths.length).toBeGreaterThan(20);
    const missing = paths.filter((path) => !procedures[path]?._def.meta?.policy);
    expect(missing).toEqual([]);
  });

  it('lets guests reach only the chat procedures', () => {
    const forGuests = Object.keys(procedures).filter(
      (path) => procedures[path]?._def.meta?.guests === true,
    );
    expect(forGuests.sort()).toEqual(guestProcedures);
  });

  it('lets anonymous callers reach only sign-up, sign-in, me, emailed links, the help centre and the widget', () => {
    const open = Object.keys(procedures).filter(
      (path) => procedures[path]?._def.meta?.policy === 'public',
    );
    expect(open.sort()).toEqual([...publicProcedures].sort());
  });

  it('answers UNAUTHORIZED to an anonymous call of anything else, whatever the input', async () => {
    const { caller } = await anonymousCaller(testServices(test.db));
    const call = callerCall(caller);
    for (const path of Object.keys(procedures)) {
      if (publicProcedures.includes(path) || procedures[path]?._def.type === 'subscription')
        continue;
      expect([path, await outcomeOf(call(path, { ticketId: crypto.randomUUID() }))]).toEqual([
        path,
        'UNAUTHORIZED',
      ]);
    }
  });

  it('has an authorization-matrix case for every tickets, messages, users, help and bot procedure', () => {
    expect(proceduresWithoutMatrixCase()).toEqual([]);
  });
});
