import type { Task } from 'graphile-worker';
import {
  channelsOfTickets,
  enqueueJob,
  finishPendingParts,
  getMessageById,
  getTicketRow,
  getUserById,
  isOptedOut,
  outboundProgress,
  recordChannelMessages,
  transactionWritingAtCommit,
  type Db,
  type DbOrTx,
  type EventRow,
  type TicketRow,
} from '@parley/db';
import { ticketEvent } from '../domain/events';
import { messagesWithFiles, type Message } from '../domain/messages';
import type { FileStorage } from '../files/storage';
import { parseLoggedEvent } from '../realtime/events';
import {
  isMessagingChannel,
  PermanentSendError,
  type MessagingChannel,
  type OutboundMessage,
  type SendProgress,
} from './adapter';
import type { Channels } from './channels';

/** The cursor row of the outbound channel planner in `log_cursors`. */
export const channelsCursor = 'channels';
/** The graphile-worker task that sends one message to a WhatsApp or SMS contact. */
export const channelSendTask = 'channel-send';
/** Tries of one send (graphile-worker backs off exponentially), then it is shown failed. */
export const channelSendMaxAttempts = 8;

/** What a send job carries: a message of the thread, or the closing message. */
export type ChannelSendJob = {
  ticketId: string;
  /** The thread's message to send; null: the closing message. */
  messageId: string | null;
};

/**
 * The channels' side of the delivery engine's pass (same transaction as the cursor
 * move): on a WhatsApp or SMS ticket, every public message of the team (agents, the
 * bot) becomes one send job, and closing the ticket one for the closing message. One
 * queue per ticket keeps a contact's messages in order; the job key makes a pass that
 * runs twice plan nothing twice.
 */
export async function planChannelSends(
  tx: DbOrTx,
  rows: EventRow[],
  options: { closingMessage: string; onError: (message: string, error: unknown) => void },
): Promise<void> {
  const logged = rows.flatMap((row) => parseLoggedEvent(row, options.onError) ?? []);
  const channels = await channelsOfTickets(tx, [
    ...new Set(logged.map((item) => item.event.ticketId)),
  ]);
  for (const { cursor, event } of logged) {
    const channel = channels.get(event.ticketId);
    if (!channel || !isMessagingChannel(channel)) continue;
    let job: ChannelSendJob | null = null;
    if (event.type === 'message.created') {
      const { author, internal } = event.data;
      if (!internal && (author.role === 'agent' || author.role === 'bot')) {
        job = { ticketId: event.ticketId, messageId: event.data.id };
      }
    } else if (event.type === 'ticket.updated' && event.data.status === 'closed') {
      if (options.closingMessage) job = { ticketId: event.ticketId, messageId: null };
    }
    if (!job) continue;
    await enqueueJob(tx, {
      task: channelSendTask,
      payload: job,
      jobKey: `channel:${cursor}`,
      runAt: null,
      maxAttempts: channelSendMaxAttempts,
      queueName: `channel:${event.ticketId}`,
    });
  }
}

type SendDeps = { db: Db; files: FileStorage; channels: Channels };

/**
 * Sends one message to the ticket's contact through the channel's adapter and records
 * the provider's ids (status callbacks name them) with `sent`; agents see it at once
 * (`message.delivery`). A failure that a retry cannot mend, or the last try, is recorded
 * as `failed` with the reason, shown on the message. A message already recorded is not
 * sent again, and of a message of the thread sent in several parts, each part is recorded
 * as soon as the provider took it (pending until the whole message went): a retry after
 * a later part failed sends only the parts not recorded.
 */
export function createChannelSendTask(deps: SendDeps): Task {
  return async (payload, helpers) => {
    const job = payload as ChannelSendJob;
    const lastTry = helpers.job.attempts >= helpers.job.max_attempts;
    const ticket = await getTicketRow(deps.db, { id: job.ticketId });
    if (!ticket || !isMessagingChannel(ticket.channel)) return;
    const channel = ticket.channel;
    const progress = job.messageId
      ? await outboundProgress(deps.db, { messageId: job.messageId })
      : null;
    if (progress?.finished) return;
    // The thread's message, read once (null: the closing message).
    const message = job.messageId ? await publicMessage(deps.db, job.messageId) : null;
    if (message === undefined) return;
    // The closing message, turned off by an admin since the close: nothing to send.
    if (message === null && !deps.channels.settings.closingMessage) return;
    const sent = { ticket, channel, message };
    const fail = (reason: string) => recordOutcome(deps.db, sent, [], reason);
    const adapter = deps.channels.adapter(channel);
    if (!adapter) {
      const reason = `${channelName[channel]} is not set up on this server`;
      if (lastTry) return fail(reason);
      throw new Error(reason);
    }
    const contact = await getUserById(deps.db, { id: ticket.customerId });
    if (!contact?.phone) return fail('The contact has no phone number');
    if (channel === 'sms' && (await isOptedOut(deps.db, { channel, address: contact.phone }))) {
      return fail('The contact replied STOP: no SMS to them until they reply START');
    }
    const outbound = composeOutbound(deps, message, contact.phone);
    let ids: string[];
    try {
      const resume =
        message && progress
          ? recordParts(deps.db, { ticket, channel, message }, progress.sentParts)
          : undefined;
      ({ providerMessageIds: ids } = await adapter.send(outbound, resume));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentSendError || lastTry) return fail(reason);
      throw error; // retried with backoff
    }
    await recordOutcome(deps.db, sent, ids, null);
  };
}

const channelName: Record<MessagingChannel, string> = { whatsapp: 'WhatsApp', sms: 'SMS' };

/**
 * The send's progress for the adapter: the parts an earlier try recorded are skipped, and
 * each part the provider takes is recorded at once (`sent`, pending until the message is
 * finished). Only a process dying between the provider's answer and this record can send
 * a part twice.
 */
function recordParts(
  db: Db,
  { ticket, channel, message }: { ticket: TicketRow; channel: MessagingChannel; message: Message },
  sentParts: number[],
): SendProgress {
  return {
    sent: new Set(sentParts),
    onPartSent: (part, providerMessageId) =>
      recordChannelMessages(db, [
        {
          ticketId: ticket.id,
          messageId: message.id,
          channel,
          direction: 'out',
          providerMessageId,
          status: 'sent',
          pendingPart: part,
        },
      ]),
  };
}

/** A public message of a thread, with its files; undefined for a note or a deleted message. */
async function publicMessage(db: Db, id: string): Promise<Message | undefined> {
  const row = await getMessageById(db, { id });
  if (!row || row.internal) return undefined;
  const [message] = await messagesWithFiles(db, [row]);
  return message;
}

/**
 * The message as the provider gets it: its text (links made absolute), chips, template,
 * files; the closing message for null.
 */
function composeOutbound(deps: SendDeps, message: Message | null, to: string): OutboundMessage {
  const { publicUrl, closingMessage } = deps.channels.settings;
  if (!message) return { to, text: closingMessage, quickReplies: [], media: [], template: null };
  const template = message.metadata?.template ?? null;
  return {
    to,
    // The bot's article links are paths on Parley's site.
    text: message.body.replace(
      /(^|\s)(\/help\/[\w-]+)/g,
      (_, space: string, path: string) => `${space}${publicUrl}${path}`,
    ),
    quickReplies: template ? [] : (message.metadata?.suggestions ?? []),
    template,
    media: message.attachments.map((file) => ({
      url: deps.channels.mediaUrl(file.id, file.name),
      contentType: file.contentType,
      fileName: file.name,
      read: async () => {
        const stream = await deps.files.get(file.id);
        if (!stream) throw new PermanentSendError(`The file ${file.name} is gone`);
        const parts: Buffer[] = [];
        for await (const part of stream) parts.push(Buffer.from(part as Uint8Array));
        return Buffer.concat(parts);
      },
    })),
  };
}

/**
 * Records what became of a send (the parts recorded on the way stop being pending: the
 * message is finished), and tells agents (for a message of the thread).
 */
async function recordOutcome(
  db: Db,
  {
    ticket,
    channel,
    message,
  }: { ticket: TicketRow; channel: MessagingChannel; message: Message | null },
  providerMessageIds: string[],
  failure: string | null,
): Promise<void> {
  await transactionWritingAtCommit(db, async (tx, atCommit) => {
    const status = failure ? 'failed' : 'sent';
    const ids = failure
      ? [`parley-failed:${message?.id ?? ticket.id}:${Date.now()}`]
      : providerMessageIds;
    await recordChannelMessages(
      tx,
      ids.map((providerMessageId) => ({
        ticketId: ticket.id,
        messageId: message?.id ?? null,
        channel,
        direction: 'out' as const,
        providerMessageId,
        status,
        error: failure,
      })),
    );
    if (!message) return;
    await finishPendingParts(tx, { messageId: message.id });
    atCommit.log([
      ticketEvent(
        ticket,
        'message.delivery',
        { messageId: message.id, seq: message.seq, channel, status, error: failure },
        'agents',
      ),
    ]);
  });
}
