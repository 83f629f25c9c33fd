import { createHash } from 'node:crypto';
import {
  advanceDeliveryStatus,
  botHasKnowledge,
  channelMessageExists,
  findOrInsertPhoneContact,
  getUserById,
  latestChannelTicket,
  listMessages,
  recordChannelMessages,
  setOptOut,
  transactionWritingAtCommit,
  withSessionLock,
  type Db,
  type Viewer,
} from '@parley/db';
import { botTurn, composeReply } from '../bot/engine';
import { ticketEvent } from '../domain/events';
import { markRead, sendMessage } from '../domain/message-service';
import { createTicket, reopenTicket } from '../domain/ticket-service';
import { uploadAttachment } from '../files/upload';
import type { FileStorage } from '../files/storage';
import type { UploadSettings } from '../files/settings';
import type { RateLimits } from '../rate-limit';
import { subjectOf } from '../widgets/start-chat';
import { AppError } from '../errors';
import {
  isPermanentMediaError,
  type ChannelAdapter,
  type InboundMessage,
  type InboundStatus,
  type MessagingChannel,
} from './adapter';
import type { ChannelSettings } from './settings';

export type InboundDeps = {
  db: Db;
  limits: RateLimits;
  hub: { staffConnected(): boolean };
  files: FileStorage;
  uploads: UploadSettings;
  settings: ChannelSettings;
};

/**
 * The idempotency key of an inbound provider message, as a UUID: the same provider id
 * always gives the same key, so a retried webhook finds the ticket or message the first
 * delivery made (`createTicket` and `sendMessage` are idempotent on it).
 */
export function inboundClientId(channel: MessagingChannel, providerMessageId: string): string {
  const hex = createHash('sha256').update(`${channel}:${providerMessageId}`).digest('hex');
  // A version-4-shaped UUID (the API's uuid validation accepts it).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Takes in what one verified webhook carried, item by item. Every item is tried; the
 * first failure is thrown after the others, so the provider retries the request and the
 * items already taken are skipped then (idempotent on the provider's message id).
 */
export async function takeInbound(
  deps: InboundDeps,
  adapter: ChannelAdapter,
  items: Array<InboundMessage | InboundStatus>,
): Promise<void> {
  const failures: unknown[] = [];
  for (const item of items) {
    try {
      if (item.kind === 'message') {
        // One contact's messages are taken in one at a time, whatever process or request
        // carries them: two first messages at once would otherwise open two tickets.
        await withSessionLock(deps.db, `channel-contact:${adapter.channel}:${item.from}`, () =>
          takeMessage(deps, adapter, item),
        );
      } else await takeStatus(deps, adapter.channel, item);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1 && failures[0] instanceof Error) throw failures[0];
  if (failures.length)
    throw new AggregateError(failures, `${failures.length} of ${items.length} items not taken in`);
}

/**
 * A contact's message: their contact found or made by number, then their open ticket on
 * the channel gets it, or a new ticket opens (the bot answers first when it is on). A
 * closed ticket is reopened when it closed less than `reopenDays` ago; otherwise writing
 * again starts a new conversation.
 */
async function takeMessage(deps: InboundDeps, adapter: ChannelAdapter, message: InboundMessage) {
  const { db } = deps;
  const channel = adapter.channel;
  const key = { channel, providerMessageId: message.providerMessageId };
  if (await channelMessageExists(db, key)) return;
  const consent = adapter.consent?.(message.text);
  if (consent) {
    await setOptOut(db, { channel, address: message.from, optedOut: consent === 'opt-out' });
  }
  const contact = await findOrInsertPhoneContact(db, {
    phone: message.from,
    name: message.profileName,
  });
  // A disabled contact's messages are dropped (acknowledged, so the provider stops).
  if (contact.disabledAt) return;
  const viewer: Viewer = { id: contact.id, name: contact.name, role: 'customer' };
  const clientId = inboundClientId(channel, message.providerMessageId);
  let current = await latestChannelTicket(db, { customerId: contact.id, channel });
  if (current?.clientId === clientId) {
    // This very message opened that ticket in an attempt that failed after its commit
    // (the provider retries): it is the ticket's description already, not a new message.
    await recordChannelMessages(db, [
      { ticketId: current.id, messageId: null, channel, direction: 'in', ...received(message) },
    ]);
    return;
  }
  const { attachmentIds, notKept } = await downloadMedia(deps, adapter, viewer, message);
  const body = [message.text.trim(), ...notKept].filter(Boolean).join('\n\n');
  if (current?.status === 'closed' && reopensWithin(current.closedAt, deps.settings.reopenDays)) {
    await reopenTicket({ db, limits: deps.limits }, viewer, current.id);
    current = { ...current, status: 'open' };
  }
  let ticketId: string;
  let messageId: string | null = null;
  if (current && current.status !== 'closed') {
    const text = current.botState === 'active' ? await chosenChip(db, current.id, body) : body;
    const sent = await sendMessage(
      { db, limits: deps.limits, hub: deps.hub, ticket: current },
      viewer,
      { ticketId: current.id, body: text, clientId, attachmentIds },
    );
    ticketId = current.id;
    messageId = sent.id;
  } else {
    const agentsOnline = deps.hub.staffConnected();
    const botOn = deps.settings.botEnabled && body !== '' && (await botHasKnowledge(db));
    const botReply = botOn ? await composeReply(db, body, agentsOnline) : null;
    ticketId = await createTicket({ db, limits: deps.limits }, viewer, {
      subject: subjectOf(body, contact.name),
      description: body,
      category: 'general',
      priority: 'medium',
      clientId,
      attachmentIds,
      origin: { channel, botState: botReply ? 'active' : 'none' },
      ...(botReply ? { firstReply: (locked) => botTurn(locked, botReply, agentsOnline) } : {}),
    });
  }
  await recordChannelMessages(db, [
    { ticketId, messageId, channel, direction: 'in', ...received(message) },
  ]);
}

const received = (message: InboundMessage) =>
  ({ providerMessageId: message.providerMessageId, status: 'received' }) as const;

/** Whether a ticket closed at `closedAt` is still young enough to reopen. */
function reopensWithin(closedAt: Date | null, days: number): boolean {
  return closedAt !== null && days > 0 && Date.now() - closedAt.getTime() < days * 86_400_000;
}

/**
 * On a channel without buttons (SMS) the bot's chips go out as a numbered list: a reply
 * of just "2" means the second chip of the bot's last message.
 */
async function chosenChip(db: Db, ticketId: string, body: string): Promise<string> {
  const pick = /^\s*([1-9])\s*[.)]?\s*$/.exec(body);
  if (!pick) return body;
  const { items } = await listMessages(db, { ticketId, includeInternal: false, limit: 10 });
  const lastBot = items.findLast((message) => message.authorRole === 'bot');
  return lastBot?.metadata?.suggestions[Number(pick[1]) - 1] ?? body;
}

/**
 * Downloads a message's files into pending uploads of the contact (their attachments).
 * A file that can never be kept (over a size limit, a type refused) is left out and
 * said so in `notKept`, for the message's text: refusing the whole message would make
 * the provider retry it for days and lose its text. Other failures throw (retried).
 */
async function downloadMedia(
  deps: InboundDeps,
  adapter: ChannelAdapter,
  viewer: Viewer,
  message: InboundMessage,
): Promise<{ attachmentIds: string[]; notKept: string[] }> {
  const attachmentIds: string[] = [];
  const notKept: string[] = [];
  for (const [index, media] of message.media.entries()) {
    let name = media.fileName ?? `${adapter.channel}-${index + 1}`;
    try {
      const { bytes, contentType } = await adapter.fetchMedia(media);
      name = media.fileName ?? `${name}${extensionOf(contentType)}`;
      const file = new File([new Uint8Array(bytes)], name, { type: contentType });
      attachmentIds.push((await uploadAttachment(deps, viewer, file)).id);
    } catch (error) {
      const refused =
        error instanceof AppError && ['PAYLOAD_TOO_LARGE', 'BAD_REQUEST'].includes(error.code);
      if (!refused && !isPermanentMediaError(error)) throw error;
      const reason = refused
        ? error.message
        : /larger than|over the/i.test(String(error))
          ? 'it is over the size limit'
          : 'the provider would not give it';
      notKept.push(`[A file was sent but not kept: ${name.slice(0, 200)} (${reason})]`);
    }
  }
  return { attachmentIds, notKept };
}

function extensionOf(contentType: string): string {
  const subtype = contentType.split(';')[0]?.split('/')[1]?.trim() ?? '';
  return /^[a-z0-9]{1,8}$/.test(subtype) ? `.${subtype === 'jpeg' ? 'jpg' : subtype}` : '';
}

/**
 * A status callback: the message's delivery moves forward and agents see it live
 * (`message.delivery`; not for a part of a message still being sent, whose delivery
 * shows once it all went); "read" is also the contact's read receipt (`message.read`).
 * A callback for a message Parley does not know, or one that would move it back, is
 * dropped.
 */
async function takeStatus(deps: InboundDeps, channel: MessagingChannel, status: InboundStatus) {
  const change = await transactionWritingAtCommit(deps.db, async (tx, atCommit) => {
    const changed = await advanceDeliveryStatus(tx, {
      channel,
      providerMessageId: status.providerMessageId,
      status: status.status,
      error: status.error,
    });
    if (!changed?.messageId || changed.seq === null) return null;
    // A part of a message still being sent: the message's delivery shows once it all went.
    if (changed.pendingPart !== null) return changed;
    atCommit.log([
      ticketEvent(
        changed.ticket,
        'message.delivery',
        {
          messageId: changed.messageId,
          seq: changed.seq,
          channel,
          status: status.status,
          error: status.error,
        },
        'agents',
      ),
    ]);
    return changed;
  });
  if (!change || change.seq === null || status.status !== 'read') return;
  const contact = await getUserById(deps.db, { id: change.ticket.customerId });
  if (!contact) return;
  await markRead(
    deps.db,
    { id: contact.id, name: contact.name, role: contact.role },
    change.ticket,
    change.seq,
  );
}
