import { firstHeader, type MailHeaders } from './mail-headers';

/** The SPF, DKIM and DMARC verdicts the receiving MTA wrote (RFC 8601), null where absent. */
export type AuthResults = {
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  /** The header they were read from, as received. */
  header: string | null;
};

/**
 * Reads the topmost `Authentication-Results` header: the one the operator's MX added
 * last (an MX removes or renames any the sender forged; docs/email-in.md). With several
 * DKIM signatures, one `pass` is a pass.
 */
export function authResults(headers: MailHeaders): AuthResults {
  const header = firstHeader(headers, 'authentication-results') ?? null;
  if (header === null) return { spf: null, dkim: null, dmarc: null, header };
  const verdicts = new Map<string, string[]>();
  // The first part is the authserv-id; each later part one "method=result ptype.prop=value…".
  for (const part of withoutComments(header).split(';').slice(1)) {
    const found = /^\s*([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(part);
    if (!found?.[1] || !found[2]) continue;
    const method = found[1].toLowerCase();
    verdicts.set(method, [...(verdicts.get(method) ?? []), found[2].toLowerCase()]);
  }
  const verdict = (method: string) => {
    const all = verdicts.get(method);
    if (!all) return null;
    return all.includes('pass') ? 'pass' : (all[0] ?? null);
  };
  return { spf: verdict('spf'), dkim: verdict('dkim'), dmarc: verdict('dmarc'), header };
}

function withoutComments(value: string): string {
  let previous;
  let text = value;
  do {
    previous = text;
    text = text.replace(/\([^()]*\)/g, ' ');
  } while (text !== previous);
  return text;
}

/**
 * A mail whose From cannot be trusted to be that address: SPF, DKIM or DMARC failed and
 * neither SPF nor DKIM passed. No header at all is not a failure (an MX that checks
 * nothing): that is the operator's choice, recorded as null.
 */
export function failsAuthentication(results: AuthResults): boolean {
  const { spf, dkim, dmarc } = results;
  const failed = [spf, dkim, dmarc].some((verdict) => verdict === 'fail');
  return failed && spf !== 'pass' && dkim !== 'pass';
}
