import { randomUUID } from 'node:crypto';
import { insertWidget, type Db, type EventRow, type UserRow } from '@parley/db';
import { createTestDatabase, eventRows, type TestDatabase } from '@parley/db/testing';
import { TRPCError } from '@trpc/server';
import { createInnerContext, type Services } from '../context';
import { createGuestSession } from '../guests/guest-sessions';
import type { RateLimits } from '../rate-limit';
import { appRouter } from '../root';
import { helpMatrix } from './help-matrix';
import {
  anonymousCaller,
  createCaller,
  createTestUser,
  signedInCaller,
  testServices,
  type Caller,
} from './index';

/**
 * Helpers for tests of the support domain (tickets, messages, users) that run the
 * same cases over router callers and over a real server: a call is a procedure path
 * and an input, its outcome `'ok'` or the tRPC error code.
 */

/**
 * The callers of the authorization matrix. `guest` is a chat-widget visitor who gave
 * customer A's email: the same contact, but a guest session, so none of A's tickets.
 */
export const everyone = ['anonymous', 'customerA', 'customerB', 'agent', 'admin', 'guest'] as const;
export type Who = (typeof everyone)[number];
export type Outcome = 'ok' | TRPCError['code'];

/** Calls a procedure by path (`'tickets.byId'`); resolves with its output. */
export type ProcedureCall = (path: string, input?: unknown) => Promise<unknown>;

/** The tRPC error code of a failed call, from a router caller or an HTTP/WS client. */
export function errorCode(error: unknown): TRPCError['code'] | undefined {
  if (error instanceof TRPCError) return error.code;
  const data = (error as { data?: { code?: unknown } } | null)?.data;
  return typeof data?.code === 'string' ? (data.code as TRPCError['code']) : undefined;
}

/** 'ok' or the error code; an error that is not a tRPC error is rethrown. */
export async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    const code = errorCode(error);
    if (!code) throw error;
    return code;
  }
}

/** The error a call fails with (fails the test when it succeeds). */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ code: Outcome; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    const code = errorCode(error);
    if (!code) throw error;
    return { code, error };
  }
  throw new Error('expected the call to fail');
}

/** What kind of procedure a path is (for clients that need `.query` or `.mutate`). */
export function procedureType(path: string): 'query' | 'mutation' | 'subscription' {
  const procedure = (
    appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>
  )[path];
  if (!procedure) throw new Error(`no procedure ${path}`);
  return procedure._def.type as 'query' | 'mutation' | 'subscription';
}

/** Path-based calls through a router caller (nested routers too: `help.articles.list`). */
export function callerCall(caller: Caller): ProcedureCall {
  return (path, input) => {
    let node: unknown = caller;
    for (const part of path.split('.'))
      node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node !== 'function') throw new Error(`no procedure ${path}`);
    return (node as (input: unknown) => Promise<unknown>)(input);
  };
}

/** Customer A and B, an agent and an admin, in a test database. */
export type SupportDeskUsers = Record<Exclude<Who, 'anonymous' | 'guest'>, UserRow>;

/** The origin the desk's widget allows. */
export const deskSiteOrigin = 'https://shop.example';

/**
 * The desk's chat widget (allowing `deskSiteOrigin`) and the matrix guest: a guest
 * session of customer A's contact, as a visitor who typed A's email gets.
 */
export async function createDeskGuest(db: Db, users: SupportDeskUsers) {
  const widget = await insertWidget(db, {
    name: 'Shop',
    siteKey: `site_${randomUUID().slice(0, 12)}`,
    allowedOrigins: [deskSiteOrigin],
    title: 'Chat with us',
    color: '#2563eb',
    greeting: 'Hi!',
    position: 'right',
    requirePhone: false,
    enabled: true,
    secret: 'desk widget secret',
  });
  const { token } = await createGuestSession(db, {
    userId: users.customerA.id,
    widgetId: widget.id,
    verified: false,
  });
  return { widget, guestToken: token };
}

export type DeskGuest = Awaited<ReturnType<typeof createDeskGuest>>;

export async function createSupportDeskUsers(db: Db): Promise<SupportDeskUsers> {
  const tag = randomUUID().slice(0, 6);
  return {
    customerA: await createTestUser(db, 'customer', { name: `Ana ${tag}` }),
    customerB: await createTestUser(db, 'customer', { name: `Ben ${tag}` }),
    agent: await createTestUser(db, 'agent', { name: `Dana ${tag}` }),
    admin: await createTestUser(db, 'admin', { name: `Ada ${tag}` }),
  };
}

/** Router callers for the matrix callers, each with a real (guest) session. */
export async function supportDeskCallers(
  services: Services,
  users: SupportDeskUsers,
  guest: DeskGuest,
) {
  const signedIn = async (user: UserRow) => (await signedInCaller(services, user.id)).caller;
  const callers: Record<Who, Caller> = {
    anonymous: (await anonymousCaller(services)).caller,
    customerA: await signedIn(users.customerA),
    customerB: await signedIn(users.customerB),
    agent: await signedIn(users.agent),
    admin: await signedIn(users.admin),
    guest: createCaller(await createInnerContext(services, { token: guest.guestToken })),
  };
  return callers;
}

/** A database of its own with the four matrix users and their callers. */
export type Desk = AsyncDisposable & {
  test: TestDatabase;
  db: Db;
  services: Services;
  users: SupportDeskUsers;
  guest: DeskGuest;
  callers: Record<Who, Caller>;
};

export async function openDesk(overrides: { limits?: Partial<RateLimits> } = {}): Promise<Desk> {
  const test = await createTestDatabase();
  const services = testServices(test.db, overrides);
  const users = await createSupportDeskUsers(test.db);
  const guest = await createDeskGuest(test.db, users);
  const callers = await supportDeskCallers(services, users, guest);
  return {
    test,
    db: test.db,
    services,
    users,
    guest,
    callers,
    async [Symbol.asyncDispose]() {
      await services.hub.close();
      await test[Symbol.asyncDispose]();
    },
  };
}

/** The logged events of a ticket, oldest first. */
export async function ticketEvents(db: Db, ticketId: string): Promise<EventRow[]> {
  return eventRows(db, { ticketId });
}

/** A valid new-ticket input. */
export function ticketInput(overrides: Record<string, unknown> = {}) {
  return {
    subject: `Parcel never arrived ${randomUUID().slice(0, 4)}`,
    description: 'The tracking page has said "in transit" for ten days.',
    ...overrides,
  };
}

/** Everything a matrix case may need to arrange its ticket: calls as each user, and their ids. */
export type MatrixWorld = {
  as: Record<Who, ProcedureCall>;
  users: SupportDeskUsers;
  guest: DeskGuest;
};

export type MatrixCase = {
  name: string;
  path: string;
  /** Builds the input; runs once per caller so state-changing cases start fresh. */
  input: (world: MatrixWorld) => Promise<unknown>;
  expect: Record<Who, Outcome>;
};

/** A fresh ticket of customer A (opened by the agent on A's behalf), optionally moved to `status`. */
async function ticketOfA(world: MatrixWorld, status?: string): Promise<string> {
  const ticket = (await world.as.agent(
    'tickets.create',
    ticketInput({ customerId: world.users.customerA.id }),
  )) as { id: string };
  if (status) await world.as.agent('tickets.update', { ticketId: ticket.id, status });
  return ticket.id;
}

/** A fresh widget chat started by the matrix guest (in its guest session), optionally moved to `status`. */
async function chatOfGuest(world: MatrixWorld, status?: string): Promise<string> {
  const started = (await world.as.guest('widget.start', chatStart(world))) as {
    ticket: { id: string };
  };
  if (status) await world.as.agent('tickets.update', { ticketId: started.ticket.id, status });
  return started.ticket.id;
}

/** A valid `widget.start` input for the desk's widget, as customer A's email. */
export function chatStart(world: MatrixWorld, overrides: Record<string, unknown> = {}) {
  return {
    siteKey: world.guest.widget.siteKey,
    hostOrigin: deskSiteOrigin,
    name: 'Ana on the shop',
    email: world.users.customerA.email,
    message: 'Hello, is my order on its way?',
    clientId: randomUUID(),
    ...overrides,
  };
}

const rows = (
  anonymous: Outcome,
  customerA: Outcome,
  customerB: Outcome,
  agent: Outcome,
  admin: Outcome,
  guest: Outcome,
): Record<Who, Outcome> => ({ anonymous, customerA, customerB, agent, admin, guest });

/** Expectations for a widget chat of the matrix guest: its contact (customer A), agents and the guest. */
const onGuestChat = rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'ok');
const adminOnly = rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'UNAUTHORIZED');

/**
 * Who may call what, for every procedure of tickets, messages and users. Customer A
 * owns the ticket; B is another customer: a ticket B may not see is NOT_FOUND.
 */
export const authorizationMatrix: MatrixCase[] = [
  {
    name: 'create for oneself',
    path: 'tickets.create',
    input: async () => ticketInput(),
    expect: rows('UNAUTHORIZED', 'ok', 'ok', 'BAD_REQUEST', 'BAD_REQUEST', 'UNAUTHORIZED'),
  },
  {
    name: 'create on behalf of a customer',
    path: 'tickets.create',
    input: async (w) => ticketInput({ customerId: w.users.customerA.id }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'list',
    path: 'tickets.list',
    input: async () => ({}),
    expect: rows('UNAUTHORIZED', 'ok', 'ok', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'list with agent filters',
    path: 'tickets.list',
    input: async (w) => ({ assignee: 'me', customerId: w.users.customerA.id }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'byId',
    path: 'tickets.byId',
    input: async (w) => ({ ticketId: await ticketOfA(w) }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'NOT_FOUND'),
  },
  {
    name: 'byId of a ticket that does not exist',
    path: 'tickets.byId',
    input: async () => ({ ticketId: randomUUID() }),
    expect: rows('UNAUTHORIZED', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND'),
  },
  {
    name: 'update',
    path: 'tickets.update',
    input: async (w) => ({ ticketId: await ticketOfA(w), priority: 'high' }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'close',
    path: 'tickets.close',
    input: async (w) => ({ ticketId: await ticketOfA(w) }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'NOT_FOUND'),
  },
  {
    name: 'reopen',
    path: 'tickets.reopen',
    input: async (w) => ({ ticketId: await ticketOfA(w, 'resolved') }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'rate',
    path: 'tickets.rate',
    input: async (w) => ({ ticketId: await ticketOfA(w, 'resolved'), score: 4 }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND'),
  },
  {
    name: 'chat details',
    path: 'tickets.chatDetails',
    input: async (w) => ({ ticketId: await ticketOfA(w) }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: "chat details of the guest's chat",
    path: 'tickets.chatDetails',
    input: async (w) => ({ ticketId: await chatOfGuest(w) }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'stats',
    path: 'tickets.stats',
    input: async () => undefined,
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'list messages',
    path: 'messages.list',
    input: async (w) => ({ ticketId: await ticketOfA(w) }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'NOT_FOUND'),
  },
  {
    name: 'send',
    path: 'messages.send',
    input: async (w) => ({
      ticketId: await ticketOfA(w),
      body: 'Any news?',
      clientId: randomUUID(),
    }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'NOT_FOUND'),
  },
  {
    name: 'send an internal note',
    path: 'messages.send',
    input: async (w) => ({
      ticketId: await ticketOfA(w),
      body: 'Carrier lost it',
      clientId: randomUUID(),
      internal: true,
    }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'FORBIDDEN'),
  },
  {
    name: 'send with a status',
    path: 'messages.send',
    input: async (w) => ({
      ticketId: await ticketOfA(w),
      body: 'Sorted',
      clientId: randomUUID(),
      status: 'resolved',
    }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'FORBIDDEN'),
  },
  {
    name: 'markRead',
    path: 'messages.markRead',
    input: async (w) => ({ ticketId: await ticketOfA(w), seq: 1 }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'NOT_FOUND'),
  },
  {
    name: 'list users',
    path: 'users.list',
    input: async () => ({ role: ['agent'] }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'create a user',
    path: 'users.create',
    input: async () => ({
      email: `new-${randomUUID().slice(0, 8)}@example.com`,
      name: 'New Agent',
      role: 'agent',
      password: 'a long enough password',
    }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'invite a team member',
    path: 'users.invite',
    input: async () => ({
      email: `invited-${randomUUID().slice(0, 8)}@example.com`,
      name: 'Invited Agent',
      role: 'agent',
    }),
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'update a user',
    path: 'users.update',
    input: async (w) => {
      const user = (await w.as.admin('users.create', {
        email: `temp-${randomUUID().slice(0, 8)}@example.com`,
        name: 'Temp',
        role: 'customer',
        password: 'a long enough password',
      })) as { id: string };
      return { userId: user.id, role: 'agent' };
    },
    expect: rows('UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'UNAUTHORIZED'),
  },
  // A guest reaches the chat procedures on its own chats only.
  {
    name: "byId of the guest's chat",
    path: 'tickets.byId',
    input: async (w) => ({ ticketId: await chatOfGuest(w) }),
    expect: onGuestChat,
  },
  {
    name: "list messages of the guest's chat",
    path: 'messages.list',
    input: async (w) => ({ ticketId: await chatOfGuest(w) }),
    expect: onGuestChat,
  },
  {
    name: "send in the guest's chat",
    path: 'messages.send',
    input: async (w) => ({ ticketId: await chatOfGuest(w), body: 'Hi', clientId: randomUUID() }),
    expect: onGuestChat,
  },
  {
    name: "markRead in the guest's chat",
    path: 'messages.markRead',
    input: async (w) => ({ ticketId: await chatOfGuest(w), seq: 1 }),
    expect: onGuestChat,
  },
  {
    name: "close the guest's chat",
    path: 'tickets.close',
    input: async (w) => ({ ticketId: await chatOfGuest(w) }),
    expect: onGuestChat,
  },
  {
    name: "rate the guest's chat",
    path: 'tickets.rate',
    input: async (w) => ({ ticketId: await chatOfGuest(w, 'resolved'), score: 5 }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN', 'ok'),
  },
  {
    name: "hand the guest's chat to a person",
    path: 'tickets.handoff',
    input: async (w) => ({ ticketId: await chatOfGuest(w) }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN', 'ok'),
  },
  {
    name: 'hand a portal ticket to a person',
    path: 'tickets.handoff',
    input: async (w) => ({ ticketId: await ticketOfA(w) }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND'),
  },
  {
    name: "reopen the guest's chat (not a guest procedure)",
    path: 'tickets.reopen',
    input: async (w) => ({ ticketId: await chatOfGuest(w, 'resolved') }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'UNAUTHORIZED'),
  },
  {
    name: 'typing',
    path: 'realtime.typing',
    input: async (w) => ({ ticketId: await ticketOfA(w), typing: true }),
    expect: rows('UNAUTHORIZED', 'ok', 'NOT_FOUND', 'ok', 'ok', 'NOT_FOUND'),
  },
  {
    name: "typing in the guest's chat",
    path: 'realtime.typing',
    input: async (w) => ({ ticketId: await chatOfGuest(w), typing: true }),
    expect: onGuestChat,
  },
  {
    name: 'widget config',
    path: 'widget.config',
    input: async (w) => ({ siteKey: w.guest.widget.siteKey }),
    expect: rows('ok', 'ok', 'ok', 'ok', 'ok', 'ok'),
  },
  {
    name: 'widget config of an unknown site',
    path: 'widget.config',
    input: async () => ({ siteKey: 'site_nope' }),
    expect: rows('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND'),
  },
  {
    name: 'start a chat',
    path: 'widget.start',
    input: async (w) => chatStart(w),
    expect: rows('ok', 'ok', 'ok', 'ok', 'ok', 'ok'),
  },
  {
    name: 'start a chat from a host the widget does not allow',
    path: 'widget.start',
    input: async (w) => chatStart(w, { hostOrigin: 'https://evil.example' }),
    expect: rows('FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'),
  },
  {
    name: 'list widgets',
    path: 'widgets.list',
    input: async () => undefined,
    expect: adminOnly,
  },
  {
    name: 'create a widget',
    path: 'widgets.create',
    input: async () => ({ name: 'Blog', allowedOrigins: ['https://blog.example'] }),
    expect: adminOnly,
  },
  {
    name: 'update a widget',
    path: 'widgets.update',
    input: async (w) => ({ widgetId: w.guest.widget.id, greeting: 'Hello there' }),
    expect: adminOnly,
  },
  ...helpMatrix,
  ...webhooksMatrix(),
];

/** The namespaces the matrix must cover completely. */
export const matrixNamespaces = [
  'tickets',
  'messages',
  'users',
  'help',
  'bot',
  'widget',
  'widgets',
  'webhooks',
];

/** Procedures of those namespaces that have no matrix case (should be none). */
export function proceduresWithoutMatrixCase(): string[] {
  const covered = new Set(authorizationMatrix.map((c) => c.path));
  return Object.keys(appRouter._def.procedures).filter(
    (path) => matrixNamespaces.includes(path.split('.')[0] ?? '') && !covered.has(path),
  );
}

/** A fresh webhook endpoint (made by the admin) for a case to act on. */
async function endpointOfAdmin(world: MatrixWorld): Promise<string> {
  const created = (await world.as.admin('webhooks.create', {
    url: 'http://127.0.0.1:9/matrix',
    events: ['ticket.created'],
    allowPrivateNetwork: true,
  })) as { id: string };
  return created.id;
}

/** Webhooks are admins' only, whatever the endpoint. */
function webhooksMatrix(): MatrixCase[] {
  const withEndpoint =
    (extra: Record<string, unknown> = {}) =>
    async (world: MatrixWorld) => ({ endpointId: await endpointOfAdmin(world), ...extra });
  return [
    {
      name: 'list endpoints',
      path: 'webhooks.list',
      input: async () => undefined,
      expect: adminOnly,
    },
    {
      name: 'create an endpoint',
      path: 'webhooks.create',
      input: async () => ({
        url: 'http://127.0.0.1:9/matrix',
        events: ['ticket.created'],
        allowPrivateNetwork: true,
      }),
      expect: adminOnly,
    },
    {
      name: 'switch an endpoint off',
      path: 'webhooks.update',
      input: withEndpoint({ enabled: false }),
      expect: adminOnly,
    },
    {
      name: 'delete an endpoint',
      path: 'webhooks.delete',
      input: withEndpoint(),
      expect: adminOnly,
    },
    {
      name: 'read the delivery log',
      path: 'webhooks.deliveries',
      input: withEndpoint(),
      expect: adminOnly,
    },
    {
      name: 'replay from an event id',
      path: 'webhooks.replay',
      input: withEndpoint({ fromEventId: 1 }),
      expect: adminOnly,
    },
    {
      name: 'redeliver a delivery that does not exist',
      path: 'webhooks.redeliver',
      input: async () => ({ deliveryId: randomUUID() }),
      expect: rows(
        'UNAUTHORIZED',
        'FORBIDDEN',
        'FORBIDDEN',
        'FORBIDDEN',
        'NOT_FOUND',
        'UNAUTHORIZED',
      ),
    },
  ];
}
