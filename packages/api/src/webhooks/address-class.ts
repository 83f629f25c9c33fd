import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether an IP address is one a webhook may not reach without the admin's leave:
 * loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT,
 * unspecified, multicast, reserved and documentation ranges. IPv6 forms that carry an
 * IPv4 address (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`) are judged by that IPv4 address. Anything that is not an IP
 * address counts as non-public (fail closed).
 */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return isNonPublicV4(parseV4(bare));
  if (isIPv6(bare)) return isNonPublicV6(parseV6(bare));
  return true;
}

const v4Blocked: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function isNonPublicV4(value: number): boolean {
  return v4Blocked.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (value & mask) >>> 0 === (parseV4(base) & mask) >>> 0;
  });
}

function parseV4(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** Eight 16-bit groups. */
function parseV6(address: string): number[] {
  let text = address.toLowerCase();
  // A trailing dotted IPv4 part becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = parseV4(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function isNonPublicV6(g: number[]): boolean {
  const at = (i: number) => g[i] ?? 0;
  const embeddedV4 = (hi: number, lo: number) => ((at(hi) << 16) | at(lo)) >>> 0;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(6)) {
    // :: and ::1, or IPv4-compatible ::a.b.c.d (deprecated): judged as IPv4 / blocked.
    if (zeroUpTo(7) && at(7) <= 1) return true;
    return isNonPublicV4(embeddedV4(6, 7));
  }
  if (zeroUpTo(5) && at(5) === 0xffff) return isNonPublicV4(embeddedV4(6, 7)); // mapped
  if (at(0) === 0x64 && at(1) === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return isNonPublicV4(embeddedV4(6, 7)); // NAT64
  }
  if (at(0) === 0x2002) return isNonPublicV4(embeddedV4(1, 2)); // 6to4
  const first = at(0);
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return true; // multicast
  if (first === 0x2001 && at(1) === 0x0db8) return true; // documentation
  if (first === 0x0100 && at(1) === 0 && at(2) === 0 && at(3) === 0) return true; // discard
  return false;
}
