import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createSecretBox,
  isSealed,
  newSecretKeyText,
  parseSecretKey,
  SecretKeyMismatch,
} from './secret-box';

describe('the secret box', () => {
  const box = createSecretBox(parseSecretKey(newSecretKeyText()));

  it('seals a secret so that its text is not in what is stored, and opens it again', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const sealed = box.seal(secret);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(box.open(sealed)).toBe(secret);
    // A fresh IV each time: the same secret never seals to the same text.
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('refuses another key and a tampered value', () => {
    const sealed = box.seal('whsec_abc');
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(sealed)).toThrow(SecretKeyMismatch);
    const bytes = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.open(`sealed:v1:${bytes.toString('base64url')}`)).toThrow(SecretKeyMismatch);
    expect(() => box.open('sealed:v1:AAAA')).toThrow(SecretKeyMismatch);
  });

  it('reads a key in base64 or hex, and says how to make one otherwise', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(` ${key.toString('hex')}\n`)).toEqual(key);
    expect(() => parseSecretKey('too short')).toThrow(/32 bytes.*randomBytes/);
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
