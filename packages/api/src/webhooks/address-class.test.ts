import { describe, expect, it } from 'vitest';
import { isNonPublicAddress } from './address-class';

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
  ])('refuses IPv4 %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '93.184.216.34', '100.128.0.1'])(
    'allows public IPv4 %s',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it.each([
    '::1',
    '::',
    '[::1]',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456:789a::1',
    'ff02::1',
    '2001:db8::1',
  ])('refuses IPv6 %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['2606:4700:4700::1111', '2a00:1450:4001:81c::200e', '2001:4860:4860::8888'])(
    'allows public IPv6 %s',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it.each([
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::FFFF:10.0.0.1',
    '::ffff:a9fe:a9fe', // 169.254.169.254
    '::127.0.0.1', // IPv4-compatible
    '64:ff9b::192.168.0.1', // NAT64
    '2002:7f00:1::', // 6to4 of 127.0.0.1
  ])('judges IPv6 forms of a private IPv4 address by it: %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::1.1.1.1'])(
    'allows IPv6 forms of a public IPv4 address: %s',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it('fails closed on what is not an address', () => {
    expect(isNonPublicAddress('localhost')).toBe(true);
    expect(isNonPublicAddress('')).toBe(true);
    expect(isNonPublicAddress('999.1.1.1')).toBe(true);
  });
});
