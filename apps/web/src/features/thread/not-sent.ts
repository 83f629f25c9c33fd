/**
 * The line under a message that could not be sent: "Not sent — <reason>." with one
 * full stop, whether or not the reason brings its own.
 */
export function notSentText(reason: string | undefined): string {
  const text = reason?.trim();
  if (!text) return 'Not sent.';
  return /[.!?…]$/.test(text) ? `Not sent — ${text}` : `Not sent — ${text}.`;
}
