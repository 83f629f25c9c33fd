import { categories, priorities, statuses, ticketChannels, ticketSorts } from '@parley/db';
import { z } from 'zod';
import { maxAttachmentsPerMessage } from '../../files/settings';
import { text, uuid } from '../../validation';

const status = z.enum(statuses);
const priority = z.enum(priorities);
const category = z.enum(categories);

export const ticketIdInput = z.strictObject({ ticketId: uuid });

export const createTicketInput = z.strictObject({
  subject: text(3, 200),
  description: text(1, 10_000),
  category: category.default('general'),
  priority: priority.default('medium'),
  orderRef: text(0, 64).optional(),
  /** Makes the create idempotent: the same customer and clientId give the same ticket. */
  clientId: uuid.optional(),
  /** Agents only: the customer the ticket is opened for. */
  customerId: uuid.optional(),
  /** The caller's pending uploads (`attachments.upload`) to send with the description. */
  attachmentIds: z
    .array(uuid)
    .max(maxAttachmentsPerMessage, `At most ${maxAttachmentsPerMessage} files`)
    .optional(),
});

export const listTicketsInput = z
  .strictObject({
    status: z.array(status).max(10).optional(),
    priority: z.array(priority).max(10).optional(),
    category: z.array(category).max(10).optional(),
    /** Where tickets came from (portal, widget…). */
    channel: z.array(z.enum(ticketChannels)).max(10).optional(),
    /**
     * Chats the bot is still answering: left out (`hide`, the default), `only` them, or
     * `all`. Agents only; a customer's list always has all of theirs.
     */
    bot: z.enum(['hide', 'only', 'all']).default('hide'),
    /** Agents only. */
    assignee: z.union([z.enum(['me', 'unassigned']), uuid]).optional(),
    /** Agents only. */
    customerId: uuid.optional(),
    q: text(0, 200).optional(),
    sort: z.enum(ticketSorts).default('updated_desc'),
    /** `nextCursor` of the previous page (tRPC's `useInfiniteQuery` sends it as is). */
    cursor: z.string().max(512).nullish(),
    /** Sent by tRPC's `useInfiniteQuery`; pages only go forward. */
    direction: z.literal('forward').optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .prefault({});

export const updateTicketInput = z.strictObject({
  ticketId: uuid,
  status: status.optional(),
  priority: priority.optional(),
  category: category.optional(),
  assigneeId: uuid.nullable().optional(),
});

export const rateTicketInput = z.strictObject({
  ticketId: uuid,
  score: z.number().int().min(1, 'From 1 to 5').max(5, 'From 1 to 5'),
  comment: text(0, 2000).optional(),
});
