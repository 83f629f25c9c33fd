import type { Task } from 'graphile-worker';
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
import type { Channels } from '../channels/channels';
import type { EmailSettings } from '../channels/settings';
import { replyAddress } from '../email-in/reply-address';
import { liveMailTransport, messageIdDomain } from './mail-transport';
import { isOn, preferenceTables } from './preferences';
import type { NoticeJob } from './pump';
import type { NotifySettings } from './settings';
import { quotedMessages, renderMail } from './templates';
import { unsubscribeToken } from './unsubscribe-token';

type SendDeps = { db: Db; settings: NotifySettings; channels: Channels };

/**
 * The send job: renders the email once (stored in `outgoing_mail` under the job's
 * idempotency key, so a retry sends the very same message), then hands it to SMTP, or
 * keeps it in the database when no SMTP server is configured. A retried job finds the
 * row and never renders or sends twice what was sent.
 */
export function createSendEmailTask(deps: SendDeps): Task {
  const transportInUse = liveMailTransport(() => deps.channels.settings.email.smtpUrl);
  return async (payload, helpers) => {
    const job = payload as NoticeJob;
    const email = deps.channels.settings.email;
    const transport = transportInUse();
    let mail = await findOutgoingMail(deps.db, job.key);
    if (!mail) {
      const rendered = await render(deps, email, job, transport ? 'pending' : 'kept');
      if (!rendered) return; // nothing to send any more (read live, switched off, gone)
      mail = rendered;
    }
    if (mail.status !== 'pending') return;
    if (!transport) {
      // The SMTP server was removed while the email waited: it stays in Parley, whole.
      await updateOutgoingMail(deps.db, { id: mail.id, status: 'kept', error: null });
      return;
    }
    try {
      await transport.sendMail(envelope(email.mailFrom, mail));
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
  { db, settings, channels }: SendDeps,
  email: EmailSettings,
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
    messageIdDomain: messageIdDomain(email.mailFrom, settings.publicUrl),
    key: job.key,
  });
  // RFC 3834: an automatic message, which auto-responders do not answer (no loop); a
  // customer's reply finds its ticket by the signed Reply-To (docs/email-in.md).
  rendered.headers['Auto-Submitted'] = 'auto-generated';
  if (channels.settings.receivesMail && email.supportAddress && !staff) {
    const secret = await signingKey(db, 'reply');
    rendered.headers['Reply-To'] = replyAddress(secret, ticket.id, email.supportAddress);
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
function envelope(mailFrom: string, mail: OutgoingMailRow) {
  const {
    'Message-ID': messageId,
    'In-Reply-To': inReplyTo,
    References: references,
    'Reply-To': replyTo,
    ...rest
  } = mail.headers;
  return {
    from: mailFrom,
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
