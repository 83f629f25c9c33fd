/** The most characters Twilio accepts in one message's Body (error 21617 above it). */
export const maxBodyLength = 1600;

/**
 * SMS has no buttons: quick replies become a numbered list under the text, and the
 * contact answers with the number (or the words). Matching "2" back to the second
 * choice is the caller's: this adapter keeps no conversation state.
 *
 *   Which do you need?
 *
 *   Reply with a number:
 *   1. Billing
 *   2. Talk to a person
 */
export function withQuickReplies(text: string, quickReplies: string[]): string {
  if (quickReplies.length === 0) return text;
  const list = quickReplies.map((reply, i) => `${i + 1}. ${reply}`).join('\n');
  const menu = `Reply with a number:\n${list}`;
  return text.trim() === '' ? menu : `${text}\n\n${menu}`;
}

/**
 * Splits a text into parts Twilio accepts (≤ `limit` UTF-16 units each), breaking after
 * the last newline or space in a part's second half when there is one, and never inside
 * a surrogate pair (an emoji stays whole).
 */
export function splitForSms(text: string, limit = maxBodyLength): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = limit;
    const window = rest.slice(0, limit);
    const newline = window.lastIndexOf('\n');
    const space = window.lastIndexOf(' ');
    const breakAt = newline >= limit / 2 ? newline : space >= limit / 2 ? space : -1;
    if (breakAt > 0)
      cut = breakAt + 1; // the whitespace ends the part
    else if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
