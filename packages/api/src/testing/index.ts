import { randomUUID } from 'node:crypto';
import { insertUser, type Db, type EventAudience, type NewEvent, type Role } from '@parley/db';
import { hashPassword } from '../auth/passwords';
import { createAuth } from '../auth/auth';
import { ticketEvent } from '../domain/events';
import { createInnerContext, type Context, type Services } from '../context';
import { defaultRateLimits, type RateLimits } from '../rate-limit';
import { appRouter } from '../root';
import { createCallerFactory } from '../trpc';
import { createHub } from '../realtime/create-hub';
import { pgFileStorage } from '../files/pg-storage';
import { defaultUploadSettings, type UploadSettings } from '../files/settings';
import type { FileStorage } from '../files/storage';
import type { Hub } from '../realtime/hub';
import { noIpCountry, type IpCountry } from '../widgets/ip-country';
import { createSecretBox } from '../secrets';
import { createChannels, noChannelSettings, type Channels } from '../channels/channels';

/** The secret key of every test server (processes sharing a test database share it). */
export const testSecretKey = Buffer.alloc(32, 7);

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/** Services over a test database, with generous rate limits unless overridden. */
export function testServices(
  db: Db,
  overrides: {
    limits?: Partial<RateLimits>;
    hub?: Hub;
    files?: FileStorage;
    uploads?: Partial<UploadSettings>;
    ipCountry?: IpCountry;
    channels?: Channels;
  } = {},
): Services {
  const relaxed: RateLimits = {
    signInFailuresPerIpAndEmail: { max: 1000, windowSeconds: 60 },
    signInFailuresPerAccount: { max: 1000, windowSeconds: 60 },
    signInPerIp: { max: 1000, windowSeconds: 60 },
    signUpPerIp: { max: 1000, windowSeconds: 60 },
    signUpPerEmail: { max: 1000, windowSeconds: 60 },
    passwordResetsPerIp: { max: 1000, windowSeconds: 60 },
    passwordResetsPerEmail: { max: 1000, windowSeconds: 60 },
    accountLinksPerIp: { max: 1000, windowSeconds: 60 },
    ticketsPerUser: { max: 1000, windowSeconds: 60 },
    messagesPerUser: { max: 10_000, windowSeconds: 60 },
    ticketActionsPerUser: { max: 1000, windowSeconds: 60 },
    uploadsPerUser: { max: 1000, windowSeconds: 60 },
    helpFeedbackPerIp: { max: 1000, windowSeconds: 60 },
    helpDeflectionsPerUser: { max: 1000, windowSeconds: 60 },
    widgetStartsPerIp: { max: 1000, windowSeconds: 60 },
    widgetStartsPerSite: { max: 1000, windowSeconds: 60 },
    smsCodesPerUser: { max: 1000, windowSeconds: 60 },
    smsCodesPerNumber: { max: 1000, windowSeconds: 60 },
  };
  const auth = createAuth(db);
  return {
    db,
    auth,
    // A real hub without a LISTEN connection: `poll()` it, or pass one you drive.
    hub: overrides.hub ?? createHub({ db, auth }),
    limits: { ...defaultRateLimits, ...relaxed, ...overrides.limits },
    files: overrides.files ?? pgFileStorage(db),
    uploads: { ...defaultUploadSettings, ...overrides.uploads },
    ipCountry: overrides.ipCountry ?? noIpCountry,
    secrets: createSecretBox(testSecretKey),
    channels:
      overrides.channels ??
      createChannels(noChannelSettings('http://localhost'), {}, testSecretKey),
  };
}

// Hashing is the slow part of creating users; tests share one hash per password.
const hashes = new Map<string, Promise<string>>();
export const testPassword = 'correct horse battery staple';

/** Creates a user directly in the database. */
export async function createTestUser(
  db: Db,
  role: Role,
  fields: { email?: string; name?: string; password?: string } = {},
) {
  const password = fields.password ?? testPassword;
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  const row = await insertUser(db, {
    email: fields.email ?? `${role}-${randomUUID().slice(0, 8)}@example.com`,
    name: fields.name ?? `${role[0]?.toUpperCase()}${role.slice(1)} ${randomUUID().slice(0, 4)}`,
    role,
    passwordHash: await hash,
  });
  if (!row) throw new Error('test user email taken');
  return row;
}

/** A signed-in caller of the router (a real session), plus its context. */
export async function signedInCaller(services: Services, userId: string) {
  const { token } = await services.auth.createSession(userId);
  const ctx = await createInnerContext(services, { token });
  return { caller: createCaller(ctx), ctx, token };
}

/** An anonymous caller of the router. */
export async function anonymousCaller(
  services: Services,
): Promise<{ caller: Caller; ctx: Context }> {
  const ctx = await createInnerContext(services, { token: null });
  return { caller: createCaller(ctx), ctx };
}

export { createCaller };
export * from './support-desk';

/**
 * A `message.created` row that matches the contract, for tests that write the event log
 * themselves (the hub skips rows that do not).
 */
export function testMessageEvent(
  ticket: { id: string; customerId: string },
  body: string,
  audience: EventAudience = 'all',
): NewEvent {
  const message = {
    id: randomUUID(),
    ticketId: ticket.id,
    seq: 1,
    author: { id: ticket.customerId, name: 'Test customer', role: 'customer' as const },
    body,
    internal: audience === 'agents',
    createdAt: new Date().toISOString(),
    clientId: null,
    attachments: [],
    metadata: null,
  };
  return ticketEvent(ticket, 'message.created', message, audience);
}

/** What followed opening an article from the new-ticket form (browser tests read it). */
export { countHelpDeflections } from '@parley/db';
export * from '../channels/testing/fake-twilio';
export * from '../channels/testing/fake-whatsapp-cloud';
