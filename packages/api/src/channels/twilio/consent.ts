// Twilio's default keyword handling on long codes and toll-free numbers
// (https://help.twilio.com/articles/223134027 "Twilio support for opt-out keywords (SMS
// STOP filtering)"; https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out).
// Twilio itself blocks further sends after these (error 21610); Parley must honour them
// too, so it stops queueing messages that can only fail.
const optOut = new Set([
  'STOP',
  'STOPALL',
  'STOP ALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
]);
const optIn = new Set(['START', 'YES', 'UNSTOP']);

/**
 * Whether an inbound text is one of Twilio's consent keywords. Only the whole message
 * counts, ignoring case and surrounding whitespace ("STOP PLEASE" is not a keyword, as
 * Twilio documents); HELP and INFO are not consent and answer null.
 */
export function twilioConsent(text: string): 'opt-out' | 'opt-in' | null {
  const keyword = text.trim().replace(/\s+/g, ' ').toUpperCase();
  if (optOut.has(keyword)) return 'opt-out';
  if (optIn.has(keyword)) return 'opt-in';
  return null;
}
