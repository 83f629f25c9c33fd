/** A mail's header fields by lower-cased name, each with its values top to bottom, unfolded. */
export type MailHeaders = ReadonlyMap<string, readonly string[]>;

/** Header lines as mailparser gives them (`headerLines`: name and the whole raw line). */
export function mailHeaders(lines: ReadonlyArray<{ key: string; line: string }>): MailHeaders {
  const headers = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
    const name = key.toLowerCase();
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}

/** The first (topmost) value of a header, or undefined. */
export function firstHeader(headers: MailHeaders, name: string): string | undefined {
  return headers.get(name)?.[0];
}
