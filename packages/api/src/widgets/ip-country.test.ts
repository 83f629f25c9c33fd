import { describe, expect, it } from 'vitest';
import { ipToBigInt, parseIpCountryCsv } from './ip-country';

const csv = [
  '1.0.0.0,1.0.0.255,AU',
  '"5.1.0.0","5.1.255.255","de"',
  '2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP',
  'not an address,1.2.3.4,XX',
  '9.9.9.9,9.9.9.1,US',
  '',
].join('\n');

describe('the country of an address from a local CSV', () => {
  const { lookup, ranges, skipped } = parseIpCountryCsv(csv);

  it('reads the ranges and counts the lines it cannot use', () => {
    expect(ranges).toBe(3);
    expect(skipped).toBe(2);
  });

  it('finds IPv4, IPv4-mapped IPv6 and IPv6 addresses, at the edges of a range too', () => {
    expect(lookup('1.0.0.0')).toBe('AU');
    expect(lookup('1.0.0.255')).toBe('AU');
    expect(lookup('5.1.200.7')).toBe('DE');
    expect(lookup('::ffff:5.1.0.1')).toBe('DE');
    expect(lookup('2001:200::1')).toBe('JP');
    expect(lookup('2001:200:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('JP');
  });

  it('answers null between ranges, past the last one, and for what is not an address', () => {
    expect(lookup('1.0.1.0')).toBeNull();
    expect(lookup('0.255.255.255')).toBeNull();
    expect(lookup('2001:201::')).toBeNull();
    expect(lookup('unknown')).toBeNull();
    expect(lookup('')).toBeNull();
  });

  it('writes every form of an IPv6 address as the same number', () => {
    expect(ipToBigInt('::1')).toBe(1n);
    expect(ipToBigInt('0:0:0:0:0:0:0:1')).toBe(1n);
    expect(ipToBigInt('::ffff:1.2.3.4')).toBe(ipToBigInt('1.2.3.4'));
    expect(ipToBigInt('::ffff:102:304')).toBe(ipToBigInt('1.2.3.4'));
    expect(ipToBigInt('fe80::')).toBe(0xfe80n << 112n);
  });
});
