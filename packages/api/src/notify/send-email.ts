import type { Task } from 'graphile-worker';
import nodemailer from 'nodemailer';
import {
  activeRecipients,
  findOutgoingMail,
  listMessages,
  readSeqOf,
  signingKey,
  storeOutgoingMail,
  ticketForMail,
  updateOutgoingMail,
  type Db,
  type OutgoingMailRow,
} from '@parley/db';
import { replyAddress } from '../email-in/reply-address';
import { isOn, preferenceTables } from './preferences';
import type { NoticeJob } from './pump';
import type { NotifySettings } from './settings';
import { quotedMessages, renderMail } from './templates';
import { unsubscribeToken } from './unsubscribe-token';

type SendDeps = { db: Db; settings: NotifySettings };

/**
 * The send job: renders the email once (stored in `outgoing_mail` under the job's
 * idempotency key, so a retry sends the very same message), then hands it to SMTP, or
 * keeps it in the database when no SMTP server is configured. A retried job finds the
 * row and never renders or sends twice what was sent.
 */
export function createSendEmailTask(deps: SendDeps): Task {
  // Bounded waits: a send that hangs holds its job (and a worker slot) until it fails.
  const transport = deps.settings.smtpUrl
    ? nodemailer.createTransport({
        url: deps.settings.smtpUrl,
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
      })
    : null;
  return async (payload, helpers) => {
    const job = payload as NoticeJob;
    let mail = await findOutgoingMail(deps.db, job.key);
    if (!mail) {
      const rendered = await render(deps, job, transport ? 'pending' : 'kept');
      if (!rendered) return; // nothing to send any more (read live, switched off, gone)
      mail = rendered;
    }
    if (!transport || mail.status !== 'pending') return;
    try {
      await transport.sendMail(envelope(deps.settings, mail));
    } catch (error) {
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      await updateOutgoingMail(deps.db, {
        id: mail.id,
        status: last ? 'failed' : 'pending',
        error: error instanceof Error ? error.message : String(error),
        attempted: true,
      });
      throw error; // graphile-worker retries with exponential backoff
    }
    await updateOutgoingMail(deps.db, {
      id: mail.id,
      status: 'sent',
      error: null,
      sentAt: new Date(),
      attempted: true,
    });
  };
}

/** Checks the delivery still makes sense, renders it and stores it; null: skip it. */
async function render(
  { db, settings }: SendDeps,
  job: NoticeJob,
  status: 'pending' | 'kept',
): Promise<OutgoingMailRow | null> {
  const [recipient] = await activeRecipients(db, [job.userId]);
  if (!recipient) return null;
  const tables = await preferenceTables(db, [recipient.id]);
  if (!isOn(tables.get(recipient.id), job.kind, 'email')) return null;
  if (job.kind === 'agent_replied' && job.messageSeq !== null) {
    // Read live while the job waited: the customer has seen it, no email.
    const readSeq = await readSeqOf(db, { ticketId: job.ticketId, userId: recipient.id });
    if (readSeq >= job.messageSeq) return null;
  }
  const ticket = await ticketForMail(db, job.ticketId);
  if (!ticket) return null;
  const { items } = await listMessages(db, {
    ticketId: ticket.id,
    includeInternal: false,
    limit: quotedMessages,
  });
  const staff = recipient.role !== 'customer';
  const secret = await signingKey(db, 'unsubscribe');
  const token = unsubscribeToken(secret, {
    userId: recipient.id,
    kind: job.kind,
    channel: 'email',
  });
  const rendered = renderMail({
    kind: job.kind,
    recipient,
    ticket,
    thread: [
      ...items
        .filter((m) => m.authorRole !== 'system')
        .reverse()
        .map((m) => ({ author: m.authorName ?? 'Parley', body: m.body, createdAt: m.createdAt })),
      // The description opens the thread (it is not a message).
      { author: ticket.customerName, body: ticket.description, createdAt: ticket.createdAt },
    ],
    ticketUrl: `${settings.publicUrl}${staff ? '/agent' : ''}/tickets/${ticket.id}`,
    unsubscribeUrl: `${settings.publicUrl}/unsubscribe?token=${token}`,
    messageIdDomain: messageIdDomain(settings),
    key: job.key,
  });
  // RFC 3834: an automatic message, which auto-responders do not answer (no loop); a
  // customer's reply finds its ticket by the signed Reply-To (docs/email-in.md).
  rendered.headers['Auto-Submitted'] = 'auto-generated';
  if (settings.supportAddress && !staff) {
    const secret = await signingKey(db, 'reply');
    rendered.headers['Reply-To'] = replyAddress(secret, ticket.id, settings.supportAddress);
  }
  return storeOutgoingMail(db, {
    idempotencyKey: job.key,
    userId: recipient.id,
    ticketId: ticket.id,
    kind: job.kind,
    toAddress: recipient.email,
    status,
    ...rendered,
  });
}

/** nodemailer's message for a stored row (the same Message-ID on every attempt). */
function envelope(settings: NotifySettings, mail: OutgoingMailRow) {
  const {
    'Message-ID': messageId,
    'In-Reply-To': inReplyTo,
    References: references,
    'Reply-To': replyTo,
    ...rest
  } = mail.headers;
  return {
    from: settings.mailFrom,
    to: mail.toAddress,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    ...(messageId ? { messageId } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references ? { references } : {}),
    ...(replyTo ? { replyTo } : {}),
    headers: rest,
  };
}

/** The From address's domain, else the public URL's host. */
export function messageIdDomain(settings: NotifySettings): string {
  const from = /@([^>\s]+)>?\s*$/.exec(settings.mailFrom)?.[1];
  return from ?? new URL(settings.publicUrl).hostname;
}
