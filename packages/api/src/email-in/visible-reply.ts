/**
 * The part of an emailed reply its author wrote: the text above the quoted history
 * ("On … wrote:", Outlook's "From: … Sent: …" block, "-----Original Message-----", a
 * trailing block of `>` lines) and without the signature ("-- " and the lines below it,
 * "Sent from my phone"). The original mail is kept whole beside it (as an .eml file).
 */
export function visibleReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = historyStart(lines);
  end = signatureStart(lines, end);
  const kept = lines.slice(0, end);
  // A quoted block at the end with nothing after it is history too.
  while (kept.length && (isBlank(kept.at(-1)) || isQuoted(kept.at(-1)))) kept.pop();
  while (kept.length && isBlank(kept.at(-1))) kept.pop();
  while (kept.length && isBlank(kept[0])) kept.shift();
  return kept.join('\n').replace(/[ \t]+$/gm, '');
}

const isBlank = (line: string | undefined) => !line?.trim();
const isQuoted = (line: string | undefined) => /^\s*>/.test(line ?? '');

/** "On Tue, 1 Dec 2026 at 10:00, Dana <d@x> wrote:", and its translations. */
const attributionLine = [
  /^on\b.{0,300}\b(wrote|writes)\s*:\s*$/i,
  /^am\b.{0,300}\bschrieb\b.{0,200}:\s*$/i,
  /^le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^el\b.{0,300}\bescribió\s*:\s*$/i,
  /^op\b.{0,300}\bschreef\b.{0,200}:\s*$/i,
  /^il\b.{0,300}\bha scritto\s*:\s*$/i,
  /^em\b.{0,300}\bescreveu\s*:\s*$/i,
];

const separatorLine = [
  /^-{2,}\s*original message\s*-{2,}\s*$/i,
  /^-{2,}\s*ursprüngliche nachricht\s*-{2,}\s*$/i,
  /^-{2,}\s*message d'origine\s*-{2,}\s*$/i,
];

/** Where the quoted history begins (the first line of it), or `lines.length`. */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (separatorLine.some((re) => re.test(line))) return i;
    if (attributionLine.some((re) => re.test(line))) return i;
    // An attribution wrapped over two lines by the mail client.
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`;
    if (/^on\b/i.test(line) && attributionLine.some((re) => re.test(joined))) return i;
    // Outlook: "From: …" then "Sent:"/"Date:" and "To:"/"Subject:" within the next lines,
    // often under a line of underscores.
    if (/^\*?from:\*?\s/i.test(line) && outlookBlock(lines.slice(i + 1, i + 6))) {
      return i > 0 && /^_{10,}$/.test((lines[i - 1] ?? '').trim()) ? i - 1 : i;
    }
  }
  return lines.length;
}

function outlookBlock(next: string[]): boolean {
  const names = next.map((line) => /^\*?(\w+):/.exec(line.trim())?.[1]?.toLowerCase());
  return (
    names.some((n) => n === 'sent' || n === 'date') &&
    names.some((n) => n === 'to' || n === 'subject')
  );
}

const phoneSignature = [
  /^sent from my \w[\w\s-]{0,40}$/i,
  /^sent from (mail|outlook|yahoo mail|gmail) for \w+$/i,
  /^get outlook for \w+\s*$/i,
];

/** Where the signature begins before `end`, or `end`. */
function signatureStart(lines: string[], end: number): number {
  for (let i = 0; i < end; i++) {
    const line = lines[i] ?? '';
    // RFC 3676's delimiter ("-- "), and the "--" many clients leave of it; not on line one.
    if (i > 0 && /^--\s?$/.test(line)) return i;
  }
  let last = end;
  while (last > 0 && isBlank(lines[last - 1])) last--;
  if (last > 0 && phoneSignature.some((re) => re.test((lines[last - 1] ?? '').trim()))) {
    return last - 1;
  }
  return end;
}
