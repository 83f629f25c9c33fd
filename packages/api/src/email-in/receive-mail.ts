import { createHash } from 'node:crypto';
import {
  claimInboundMail,
  finishInboundMail,
  findOrInsertGuestContact,
  getInboundMail,
  getUserByEmail,
  isPlaceholderEmail,
  type InboundMailOutcome,
  type UserRow,
  type Viewer,
} from '@parley/db';
import { createTicket } from '../domain/ticket-service';
import { sendMessage } from '../domain/message-service';
import type { UploadDeps } from '../files/upload';
import type { RateLimits } from '../rate-limit';
import { authResults, failsAuthentication, type AuthResults } from './auth-results';
import { autoReplyReason } from './auto-reply';
import { findMailThread } from './find-ticket';
import { storeMailFiles } from './mail-files';
import { parseMail, type ParsedMail } from './parse-mail';
import { visibleReply } from './visible-reply';

export type ReceiveDeps = UploadDeps & {
  limits: RateLimits;
  /** The address customers write to (lower case), as in use now. */
  supportAddress: () => string;
};

/** The SMTP envelope: MAIL FROM ('' for `<>`) and RCPT TO, lower-cased. */
export type Envelope = { returnPath: string; recipients: string[] };

/** What became of a mail (`duplicate`: its Message-ID was handled before: nothing done). */
export type ReceivedMail = InboundMailOutcome & {
  status: InboundStatus | 'duplicate';
  messageId: string;
};

export type InboundStatus = 'ticket_created' | 'joined' | 'dropped' | 'rejected';

/** The longest text a message or description holds (the procedures' limit). */
const maxBody = 10_000;

/**
 * Handles one mail the listener accepted: records it once per Message-ID
 * (`inbound_mail`), then drops it (auto-reply, bounce), rejects it (a customer's
 * address failing SPF/DKIM, a team member's address, a forged reply address) or adds it
 * to Parley: a reply joins its ticket, anything else to the support address opens one.
 * Throws when it could not be handled (the listener answers "try again later"); the
 * retry takes the failed record over, and the ticket's and message's client ids (from
 * the Message-ID) keep a half-done first attempt from being added twice.
 */
export async function receiveMail(
  deps: ReceiveDeps,
  raw: Buffer,
  envelope: Envelope,
): Promise<ReceivedMail> {
  const mail = await parseMail(raw);
  const auth = authResults(mail.headers);
  const claimed = await claimInboundMail(deps.db, {
    messageId: mail.messageId,
    returnPath: envelope.returnPath,
    fromAddress: mail.fromAddress,
    recipients: envelope.recipients,
    subject: mail.subject.slice(0, 1000),
    threadIds: mail.threadIds,
    spf: auth.spf,
    dkim: auth.dkim,
    dmarc: auth.dmarc,
    authenticationResults: auth.header,
    size: raw.length,
  });
  if (!claimed) {
    // Handled already, or still being handled: by another delivery right now, or by a
    // process that died mid-mail (its row is taken over after 10 minutes). Only a
    // finished one is a duplicate; otherwise "try again later", or the mail is lost.
    const earlier = await getInboundMail(deps.db, { messageId: mail.messageId });
    if (earlier?.status === 'processing') {
      throw new Error('this Message-ID is still being handled: try again later');
    }
    const reason = 'this Message-ID was received before';
    return { status: 'duplicate', reason, messageId: mail.messageId };
  }
  try {
    const outcome = await handle(deps, raw, mail, envelope, auth);
    await finishInboundMail(deps.db, { id: claimed.id, ...outcome });
    return { ...outcome, messageId: mail.messageId };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await finishInboundMail(deps.db, { id: claimed.id, status: 'failed', reason }).catch(() => {});
    throw error;
  }
}

type Outcome = InboundMailOutcome & { status: InboundStatus };

async function handle(
  deps: ReceiveDeps,
  raw: Buffer,
  mail: ParsedMail,
  envelope: Envelope,
  auth: AuthResults,
): Promise<Outcome> {
  const automatic = autoReplyReason({
    headers: mail.headers,
    returnPath: envelope.returnPath,
    fromAddress: mail.fromAddress,
  });
  if (automatic) return { status: 'dropped', reason: automatic };
  if (!mail.fromAddress) return { status: 'rejected', reason: 'no From address' };
  // The made-up addresses of contacts known by phone (WhatsApp, SMS) receive no mail either.
  if (isPlaceholderEmail(mail.fromAddress)) {
    return { status: 'rejected', reason: 'From is a placeholder address (.invalid)' };
  }
  const known = await getUserByEmail(deps.db, { email: mail.fromAddress });
  if (known && known.role !== 'customer') {
    return {
      status: 'rejected',
      reason: 'From is a team member’s address: agents answer in Parley',
    };
  }
  if (known?.disabledAt) return { status: 'rejected', reason: 'From is a disabled account' };
  if (known && failsAuthentication(auth, mail.fromAddress)) {
    return {
      status: 'rejected',
      reason: `From claims the customer ${mail.fromAddress} but failed authentication (spf=${auth.spf ?? 'none'}, dkim=${auth.dkim ?? 'none'}, dmarc=${auth.dmarc ?? 'none'})`,
    };
  }
  const toSupport = envelope.recipients.includes(deps.supportAddress());
  const thread = await findMailThread(deps.db, {
    recipients: envelope.recipients,
    threadIds: mail.threadIds,
  });
  if (!thread.tickets.length && !toSupport) {
    return {
      status: 'rejected',
      reason: thread.unknownReplyAddress
        ? 'sent to a reply address Parley did not sign'
        : 'not a reply to a ticket, and not sent to the support address',
    };
  }
  const ownTicket = thread.tickets.find((t) => known && t.customerId === known.id);
  if (thread.tickets.length && !ownTicket) {
    const numbers = thread.tickets.map((t) => `#${t.number}`).join(', ');
    return {
      status: 'rejected',
      reason: `a reply to ticket ${numbers} from ${mail.fromAddress}, who is not its customer`,
      contactId: known?.id ?? null,
    };
  }
  const contact = known ?? (await newContact(deps, mail));
  const viewer: Viewer = { id: contact.id, name: contact.name, role: 'customer' };
  const body = storedBody(mail.text);
  const clientId = uuidOf(mail.messageId);
  let note: string | null = null;
  if (ownTicket) {
    const ticket = ownTicket;
    if (ticket.status !== 'closed') {
      const files = await storeMailFiles(deps, viewer, mail, raw);
      const message = await sendMessage(deps, viewer, {
        ticketId: ticket.id,
        body,
        clientId,
        attachmentIds: files.ids,
      });
      return {
        status: 'joined',
        reason: withSkipped(`joined #${ticket.number} by ${thread.via ?? 'thread'}`, files.skipped),
        contactId: contact.id,
        ticketId: ticket.id,
        messageRowId: message.id,
      };
    }
    note = `#${ticket.number} is closed: a new ticket`;
  }
  const files = await storeMailFiles(deps, viewer, mail, raw);
  const ticketId = await createTicket(deps, viewer, {
    subject: ticketSubject(mail, contact.name),
    description: body,
    category: 'general',
    priority: 'medium',
    clientId,
    attachmentIds: files.ids,
    origin: { channel: 'email' },
  });
  return {
    status: 'ticket_created',
    reason: withSkipped(note, files.skipped),
    contactId: contact.id,
    ticketId,
  };
}

function newContact(deps: ReceiveDeps, mail: ParsedMail): Promise<UserRow> {
  const name = (mail.fromName || mail.fromAddress.split('@')[0] || mail.fromAddress).slice(0, 100);
  return findOrInsertGuestContact(deps.db, { email: mail.fromAddress, name, phone: null });
}

/** What the author wrote, without the quoted history and signature; cut to the limit. */
export function storedBody(text: string): string {
  const visible = visibleReply(text) || '(No text: the original email is attached.)';
  if (visible.length <= maxBody) return visible;
  const more = '\n\n[…] The rest is in the attached original email.';
  return visible.slice(0, maxBody - more.length) + more;
}

function ticketSubject(mail: ParsedMail, name: string): string {
  const subject = mail.subject.replace(/\s+/g, ' ').trim();
  if (subject.length >= 3) return subject.length > 200 ? `${subject.slice(0, 199)}…` : subject;
  return `Email from ${name}`.slice(0, 200);
}

/** A stable UUID for a Message-ID: the client id that makes a retried add a no-op. */
function uuidOf(messageId: string): string {
  const hex = createHash('sha256').update(`email-in:${messageId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function withSkipped(reason: string | null, skipped: string[]): string | null {
  if (!skipped.length) return reason;
  const files = `left out (kept in the .eml): ${skipped.join(', ')}`;
  return reason ? `${reason}; ${files}` : files;
}
