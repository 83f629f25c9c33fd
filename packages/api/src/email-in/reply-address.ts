import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed reply addresses, `reply+<ticket><mac>@<support domain>`: a customer's reply to
 * one reaches its ticket even when the mail client dropped In-Reply-To and References.
 * Lower-case hex only (some MTAs lower-case local parts); 59 characters, under the
 * 64 a local part may have.
 */
const macHexLength = 20;

function mac(secret: string, ticketId: string): string {
  return createHmac('sha256', secret)
    .update(`reply:${ticketId}`)
    .digest('hex')
    .slice(0, macHexLength);
}

/** The Reply-To address of a notification email about `ticketId`. */
export function replyAddress(secret: string, ticketId: string, supportAddress: string): string {
  const domain = supportAddress.slice(supportAddress.lastIndexOf('@') + 1);
  return `reply+${ticketId.replaceAll('-', '')}${mac(secret, ticketId)}@${domain}`;
}

/** Whether `address` has the shape of a reply address (signed or not). */
export function isReplyAddress(address: string): boolean {
  return /^reply\+[^@]*@/i.test(address);
}

/** The ticket a reply address was signed for, or null when it is not one or is forged. */
export function ticketOfReplyAddress(secret: string, address: string): string | null {
  const found = /^reply\+([0-9a-f]{32})([0-9a-f]+)@/.exec(address.toLowerCase());
  if (!found?.[1] || !found[2]) return null;
  const hex = found[1];
  const ticketId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const expected = Buffer.from(mac(secret, ticketId));
  const given = Buffer.from(found[2]);
  return given.length === expected.length && timingSafeEqual(given, expected) ? ticketId : null;
}
