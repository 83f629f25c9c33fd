import { z } from 'zod';
import { authorRoles, categories, priorities, roles, statuses } from './enums';

/**
 * The logged events: one row of the event log per change someone may need to see live.
 * A row stores `data` as its payload and the version of this shape it was written in;
 * every consumer of a version (subscribers now, webhook receivers later) must be able to
 * rely on it. docs/events.md is the published description, and its versioning rule says
 * what may change within a version.
 */

/** The version of the payload shapes below: what every writer stores today. */
export const eventPayloadVersion = 1;

const id = z.guid();
const timestamp = z.iso.datetime();
const person = z.object({ id, name: z.string() });

/**
 * A ticket just opened, as a list shows it (`TicketSummary` of the API). The counters
 * and the fields about replies, resolution and rating are those of a new ticket.
 */
export const ticketCreatedData = z.object({
  id,
  number: z.int(),
  subject: z.string(),
  category: z.enum(categories),
  priority: z.enum(priorities),
  status: z.enum(statuses),
  orderRef: z.string().nullable(),
  customer: person,
  assignee: person.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  firstResponseAt: timestamp.nullable(),
  resolvedAt: timestamp.nullable(),
  closedAt: timestamp.nullable(),
  messageCount: z.int().min(0),
  unreadCount: z.int().min(0),
  lastMessageAt: timestamp.nullable(),
  rating: z.object({ score: z.int(), comment: z.string().nullable() }).nullable(),
  lastMessagePreview: z.string().nullable(),
});

/** Only the fields that changed, with their new values, and the ticket's new `updatedAt`. */
export const ticketUpdatedData = z.object({
  status: z.enum(statuses).optional(),
  priority: z.enum(priorities).optional(),
  category: z.enum(categories).optional(),
  assignee: person.nullable().optional(),
  firstResponseAt: timestamp.nullable().optional(),
  resolvedAt: timestamp.nullable().optional(),
  closedAt: timestamp.nullable().optional(),
  /** Only ever null: the ticket became active again, which withdraws its rating. */
  rating: z.null().optional(),
  updatedAt: timestamp,
});

/**
 * A file on a message or a ticket's description. `url` is the download path on Parley's
 * origin (`/files/:id/:name`), `thumbnailUrl` a small preview of an image; both answer
 * only someone who may see the message. `width`/`height` are an image's, as shown.
 */
export const attachmentData = z.object({
  id,
  name: z.string(),
  size: z.int().min(0),
  contentType: z.string(),
  width: z.int().optional(),
  height: z.int().optional(),
  url: z.string(),
  thumbnailUrl: z.string().optional(),
});

/** A message added to a thread (an internal note when `internal`: agents only). */
/** What a bot message carries besides its text: its suggestion chips and source article. */
export const messageMetadata = z.object({
  /** Up to 3 follow-ups the visitor may tap; a tap sends the text as their message. */
  suggestions: z.array(z.string()).max(3),
  articleId: id.optional(),
  /** An agent's WhatsApp template message: what the provider is asked to send. */
  template: z
    .object({ name: z.string(), language: z.string(), variables: z.array(z.string()) })
    .optional(),
});
export type MessageMetadata = z.infer<typeof messageMetadata>;

export const messageCreatedData = z.object({
  id,
  ticketId: id,
  /** Per ticket, increasing, gap-free over all messages (internal notes included). */
  seq: z.int().min(1),
  /** `id` is null for messages Parley wrote itself (`role: 'system'`). */
  author: z.object({ id: id.nullable(), name: z.string(), role: z.enum(authorRoles) }),
  body: z.string(),
  internal: z.boolean(),
  createdAt: timestamp,
  /** The author's idempotency key for the message, when their client sent one. */
  clientId: id.nullable(),
  /** Files sent with the message (added within version 1; older rows have none). */
  attachments: z.array(attachmentData).default([]),
  /** The bot's chips and article (added within version 1; null for every other message). */
  metadata: messageMetadata.nullable().default(null),
});

/** Someone read a ticket's thread up to `seq`. */
export const messageReadData = z.object({
  userId: id,
  role: z.enum(roles),
  seq: z.int().min(0),
});

/**
 * How far a message sent to the contact over WhatsApp or SMS got, as the provider
 * reported it (agents only): `read` is the contact's read receipt; `failed` says why.
 */
export const messageDeliveryData = z.object({
  messageId: id,
  seq: z.int().min(1),
  channel: z.enum(['whatsapp', 'sms']),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  error: z.string().nullable(),
});

/** The customer rated the ticket's resolution. */
export const ticketRatedData = z.object({ score: z.int().min(1).max(5) });

/** The schema of `data` for each event type. */
export const eventDataSchemas = {
  'ticket.created': ticketCreatedData,
  'ticket.updated': ticketUpdatedData,
  'message.created': messageCreatedData,
  'message.read': messageReadData,
  'message.delivery': messageDeliveryData,
  'ticket.rated': ticketRatedData,
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as EventType[];

/** `data` of each event type. */
export type EventDataMap = { [T in EventType]: z.output<(typeof eventDataSchemas)[T]> };

/**
 * One logged event in the contract's shape, `data` typed by `type`: `id` is the
 * commit-ordered event id as a decimal string, `at` the time it was logged (ISO 8601),
 * `v` the payload version.
 */
export type ContractEvent = {
  [T in EventType]: {
    id: string;
    ticketId: string;
    type: T;
    at: string;
    v: typeof eventPayloadVersion;
    data: EventDataMap[T];
  };
}[EventType];

/** A row of the event log as read, before its payload is trusted. */
export type RawEvent = {
  id: string;
  ticketId: string;
  type: string;
  at: string;
  version: number;
  payload: unknown;
};

export type ParsedEvent = { ok: true; event: ContractEvent } | { ok: false; reason: string };

const isEventType = (type: string): type is EventType => Object.hasOwn(eventDataSchemas, type);

/**
 * What a writer stores for an event: `data` checked against its type's schema (a bug
 * that would log a malformed event fails the write instead) with fields outside the
 * schema dropped, and the version it is in.
 */
export function encodeEventPayload<T extends EventType>(
  type: T,
  data: EventDataMap[T],
): { payload: EventDataMap[T]; version: typeof eventPayloadVersion } {
  const payload = eventDataSchemas[type].parse(data) as EventDataMap[T];
  return { payload, version: eventPayloadVersion };
}

/**
 * Reads a logged event: its type must be known, its version the current one, and its
 * payload must match the type's schema. Fields outside the schema are dropped.
 */
export function parseEvent(raw: RawEvent): ParsedEvent {
  const { type, version, payload, ...envelope } = raw;
  if (!isEventType(type)) return { ok: false, reason: `unknown event type "${type}"` };
  if (version !== eventPayloadVersion) {
    return { ok: false, reason: `unknown payload version ${version}` };
  }
  const data = eventDataSchemas[type].safeParse(payload);
  if (!data.success) return { ok: false, reason: z.prettifyError(data.error) };
  const event = { ...envelope, type, v: eventPayloadVersion, data: data.data };
  return { ok: true, event: event as ContractEvent };
}
