/**
 * Cuts a text into pieces of at most `max` UTF-16 units (WhatsApp's limits count them
 * that way), preferring to cut after a line break, then after a space, never inside a
 * surrogate pair. Joined, the pieces are the text.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/**
 * Where to cut so that what follows is at most `max` long (a text's last part must fit
 * somewhere smaller than the rest, e.g. the body of a buttons message).
 */
export function splitTail(text: string, max: number): { head: string; tail: string } {
  if (text.length <= max) return { head: '', tail: text };
  let start = text.length - max;
  const code = text.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start += 1; // keep a surrogate pair together
  const window = text.slice(start);
  const limit = Math.floor(window.length / 2);
  const newline = window.indexOf('\n');
  const space = window.indexOf(' ');
  const at =
    newline >= 0 && newline < limit
      ? start + newline + 1
      : space >= 0 && space < limit
        ? start + space + 1
        : start;
  return { head: text.slice(0, at), tail: text.slice(at) };
}

function cutPoint(text: string, max: number): number {
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep a surrogate pair together
  const window = text.slice(0, cut);
  const minimum = Math.floor(cut / 2);
  const newline = window.lastIndexOf('\n');
  if (newline >= minimum) return newline + 1;
  const space = window.lastIndexOf(' ');
  if (space >= minimum) return space + 1;
  return cut;
}
