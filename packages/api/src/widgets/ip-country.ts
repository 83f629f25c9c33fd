import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

/**
 * A chat visitor's country from their address, looked up in a local file (no outside
 * calls): the "IP to country" CSV format of DB-IP's free database (CC BY 4.0) and of
 * other providers, one range a line — `first,last,CC` — for IPv4 and IPv6 alike
 * (`PARLEY_GEOIP_CSV`). Without a file, no country is recorded.
 */
export type IpCountry = (ip: string) => string | null;

export const noIpCountry: IpCountry = () => null;

/** Builds the lookup from the CSV text. Lines it cannot read are counted, not fatal. */
export function parseIpCountryCsv(text: string): {
  lookup: IpCountry;
  ranges: number;
  skipped: number;
} {
  const rows: { first: bigint; last: bigint; country: string }[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [a, b, c] = line.split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
    const first = a ? ipToBigInt(a) : null;
    const last = b ? ipToBigInt(b) : null;
    if (first === null || last === null || last < first || !c || !/^[A-Za-z]{2}$/.test(c)) {
      skipped++;
      continue;
    }
    rows.push({ first, last, country: c.toUpperCase() });
  }
  rows.sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
  const firsts = rows.map((r) => r.first);
  const lookup: IpCountry = (ip) => {
    const value = ipToBigInt(ip);
    if (value === null) return null;
    // The last range starting at or before the address.
    let lo = 0;
    let hi = firsts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (firsts[mid]! <= value) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const row = found >= 0 ? rows[found]! : undefined;
    return row && value <= row.last ? row.country : null;
  };
  return { lookup, ranges: rows.length, skipped };
}

/** Reads the CSV at `path`; a missing or unreadable file fails the start-up clearly. */
export function loadIpCountry(path: string): {
  lookup: IpCountry;
  ranges: number;
  skipped: number;
} {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`PARLEY_GEOIP_CSV: cannot read ${path} (${(error as Error).message})`, {
      cause: error,
    });
  }
  const parsed = parseIpCountryCsv(text);
  if (parsed.ranges === 0)
    throw new Error(`PARLEY_GEOIP_CSV: no "first,last,CC" ranges in ${path}`);
  return parsed;
}

const mappedV4 = 0xffff00000000n;

/**
 * An address as one number in the IPv6 space; IPv4 (and IPv4-mapped IPv6, as Node
 * reports IPv4 clients on a dual-stack socket) maps to `::ffff:a.b.c.d`.
 */
export function ipToBigInt(ip: string): bigint | null {
  const version = isIP(ip);
  if (version === 4) return mappedV4 + v4ToBigInt(ip);
  if (version !== 6) return null;
  let text = ip.toLowerCase();
  let tail: bigint[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToBigInt(v4[1]!);
    tail = [n >> 16n, n & 0xffffn];
    text = text.slice(0, -v4[1]!.length) + '0:0';
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(fill).fill('0'), ...right].map((g) =>
    BigInt(`0x${g || '0'}`),
  );
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups.reduce((acc, g) => (acc << 16n) + g, 0n);
}

function v4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
}
