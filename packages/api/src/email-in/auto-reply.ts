import { firstHeader, type MailHeaders } from './mail-headers';

/** What the detector looks at besides the headers: the envelope's sender and the From. */
export type AutoReplyFacts = {
  headers: MailHeaders;
  /** The envelope's MAIL FROM: '' for `<>`, a bounce's or auto-reply's null return path. */
  returnPath: string;
  /** The From header's address, lower-cased. */
  fromAddress: string;
};

const bulkPrecedence = new Set(['bulk', 'junk', 'list', 'auto_reply']);
const daemonLocalParts = new Set(['mailer-daemon', 'postmaster']);

const localPart = (address: string) => address.slice(0, address.lastIndexOf('@')).toLowerCase();

/**
 * Why a mail is machine-made and must neither open a ticket nor be answered (RFC 3834's
 * Auto-Submitted, Precedence, the X-Autoreply family, delivery and read reports, a
 * mailer daemon or a null return path), or null for a mail a person sent.
 */
export function autoReplyReason({
  headers,
  returnPath,
  fromAddress,
}: AutoReplyFacts): string | null {
  const autoSubmitted = firstHeader(headers, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted !== undefined && autoSubmitted.split(';')[0]?.trim() !== 'no') {
    return `Auto-Submitted: ${autoSubmitted}`;
  }
  const precedence = firstHeader(headers, 'precedence')?.trim().toLowerCase();
  if (precedence && bulkPrecedence.has(precedence)) return `Precedence: ${precedence}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (headers.has(name)) return `${name} header`;
  }
  // Parley's own notification email come back (a mailbox forwarding to the support address).
  if (headers.has('x-parley-idempotency-key')) return 'a notification email of Parley';
  const contentType = firstHeader(headers, 'content-type')?.toLowerCase() ?? '';
  if (/^multipart\/report\b/.test(contentType))
    return 'a delivery or read report (multipart/report)';
  if (returnPath === '') return 'an empty return path (a bounce or auto-reply)';
  if (daemonLocalParts.has(localPart(returnPath)) || daemonLocalParts.has(localPart(fromAddress))) {
    return 'sent by a mailer daemon';
  }
  return null;
}
