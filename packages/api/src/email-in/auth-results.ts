import { firstHeader, type MailHeaders } from './mail-headers';

/** The SPF, DKIM and DMARC verdicts the receiving MTA wrote (RFC 8601), null where absent. */
export type AuthResults = {
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  /** The domains SPF passed for (`smtp.mailfrom`) and DKIM signatures passed for (`header.d`). */
  passedFor: { spf: string[]; dkim: string[] };
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
  const passedFor: AuthResults['passedFor'] = { spf: [], dkim: [] };
  if (header === null) return { spf: null, dkim: null, dmarc: null, passedFor, header };
  const verdicts = new Map<string, string[]>();
  // The first part is the authserv-id; each later part one "method=result ptype.prop=value…".
  for (const part of withoutComments(header).split(';').slice(1)) {
    const found = /^\s*([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(part);
    if (!found?.[1] || !found[2]) continue;
    const method = found[1].toLowerCase();
    const result = found[2].toLowerCase();
    verdicts.set(method, [...(verdicts.get(method) ?? []), result]);
    if (result !== 'pass' || (method !== 'spf' && method !== 'dkim')) continue;
    const property = method === 'spf' ? 'smtp\\.mailfrom' : 'header\\.d';
    const value = new RegExp(`\\b${property}\\s*=\\s*([^\\s;]+)`, 'i').exec(part)?.[1];
    if (value) passedFor[method].push(domainOf(value));
  }
  const verdict = (method: string) => {
    const all = verdicts.get(method);
    if (!all) return null;
    return all.includes('pass') ? 'pass' : (all[0] ?? null);
  };
  return {
    spf: verdict('spf'),
    dkim: verdict('dkim'),
    dmarc: verdict('dmarc'),
    passedFor,
    header,
  };
}

/** `user@Example.COM` or `example.com` → `example.com`. */
function domainOf(value: string): string {
  return value
    .slice(value.lastIndexOf('@') + 1)
    .toLowerCase()
    .replace(/\.$/, '');
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
 * A mail whose From (`fromAddress`) cannot be trusted to be that address: DMARC failed;
 * or SPF or DKIM failed and neither passed for the From's domain; or they passed, but
 * only for other domains (anyone can pass SPF for a domain of their own while writing a
 * customer's address in From). A pass whose domain the MX did not write counts as the
 * From's. No header at all is not a failure (an MX that checks nothing): that is the
 * operator's choice, recorded as null.
 */
export function failsAuthentication(results: AuthResults, fromAddress: string): boolean {
  const { spf, dkim, dmarc, passedFor } = results;
  if (dmarc === 'fail') return true;
  const from = domainOf(fromAddress);
  const aligned = (method: 'spf' | 'dkim') =>
    results[method] === 'pass' &&
    (passedFor[method].length === 0 || passedFor[method].some((domain) => aligns(domain, from)));
  if (aligned('spf') || aligned('dkim')) return false;
  const failed = [spf, dkim].some((verdict) => verdict === 'fail');
  return failed || spf === 'pass' || dkim === 'pass';
}

/** Relaxed alignment, approximately: the same domain, or one a subdomain of the other. */
function aligns(domain: string, from: string): boolean {
  return domain === from || domain.endsWith(`.${from}`) || from.endsWith(`.${domain}`);
}
