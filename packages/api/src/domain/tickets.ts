import { attachmentData, channels, ticketCreatedData } from '@parley/contract';
import {
  statuses,
  type AttachmentRow,
  type Status,
  type TicketRow,
  type TicketViewRow,
} from '@parley/db';
import { attachmentFromRow } from './attachments';
import { z } from 'zod';

/**
 * `TicketSummary` of docs/api.md: a ticket as lists show it. It is the contract's
 * `ticket.created` payload (docs/events.md), which is versioned: a field only the API
 * needs is added here with `.extend`, never in the contract. Output schemas are objects
 * that strip unknown keys: whatever a query returns, only these fields reach a client.
 */
export const ticketSummaryOutput = ticketCreatedData;

/** A row of `tickets.list`: the summary and where the ticket came from. */
export const ticketListItemOutput = ticketSummaryOutput.extend({ channel: z.enum(channels) });

/** `Ticket` of docs/api.md: a summary with the description, without the last message's preview. */
export const ticketOutput = ticketSummaryOutput.omit({ lastMessagePreview: true }).extend({
  description: z.string(),
  channel: z.enum(channels),
  /** The files sent with the description. */
  attachments: z.array(attachmentData),
});

export type Ticket = z.infer<typeof ticketOutput>;
export type TicketSummary = z.infer<typeof ticketSummaryOutput>;
export type TicketListItem = z.infer<typeof ticketListItemOutput>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTicket(row: TicketViewRow, files: AttachmentRow[] = []): Ticket {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    description: row.description ?? '',
    category: row.category,
    priority: row.priority,
    status: row.status,
    orderRef: row.orderRef,
    channel: row.channel,
    customer: { id: row.customerId, name: row.customerName },
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    firstResponseAt: iso(row.firstResponseAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
    messageCount: row.messageCount,
    unreadCount: row.unreadCount,
    lastMessageAt: iso(row.lastMessageAt),
    rating:
      row.ratingScore === null ? null : { score: row.ratingScore, comment: row.ratingComment },
    attachments: files.map(attachmentFromRow),
  };
}

export function toTicketSummary(row: TicketViewRow): TicketSummary {
  const {
    description: _description,
    channel: _channel,
    attachments: _files,
    ...ticket
  } = toTicket(row);
  return { ...ticket, lastMessagePreview: row.lastMessagePreview };
}

export function toTicketListItem(row: TicketViewRow): TicketListItem {
  return { ...toTicketSummary(row), channel: row.channel };
}

/**
 * The summary of a ticket just created, as its `ticket.created` event carries it (the
 * same for every audience: nothing in a new ticket is agent-only).
 */
export function newTicketSummary(row: TicketRow, customerName: string): TicketSummary {
  return toTicketSummary({
    ...row,
    customerName,
    assigneeName: null,
    updatedAt: row.publicUpdatedAt,
    messageCount: 0,
    unreadCount: 0,
    lastMessageAt: null,
    lastMessagePreview: null,
  });
}

/** `tickets.chatDetails` (agents only). */
export const chatDetailsOutput = z.object({
  channel: z.enum(channels),
  pageUrl: z.string().nullable(),
  userAgent: z.string().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
  widgetName: z.string().nullable(),
  verified: z.boolean().nullable(),
});

/** A page of `tickets.list`. */
export const ticketPageOutput = z.object({
  items: z.array(ticketListItemOutput),
  nextCursor: z.string().nullable(),
  total: z.number(),
});

/** `tickets.stats` (agents only). */
export const ticketStatsOutput = z.object({
  byStatus: z.object(
    Object.fromEntries(statuses.map((s) => [s, z.number()])) as Record<Status, z.ZodNumber>,
  ),
  urgentOpen: z.number(),
  unassigned: z.number(),
  assignedToMe: z.number(),
  avgFirstResponseSeconds: z.number().nullable(),
  avgResolutionSeconds: z.number().nullable(),
  csat: z.object({ average: z.number().nullable(), count: z.number() }),
  daily: z.array(z.object({ date: z.string(), created: z.number(), resolved: z.number() })),
  /** Over 30 days: chats the bot answered, those it closed without a person, those handed off. */
  bot: z.object({
    answered: z.number(),
    resolvedWithoutPerson: z.number(),
    handedOff: z.number(),
  }),
});

export type TicketStats = z.infer<typeof ticketStatsOutput>;
