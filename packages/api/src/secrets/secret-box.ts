import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets Parley keeps in order to use them later (a webhook endpoint's signing secret;
 * later the channels' provider tokens) are stored sealed: AES-256-GCM under the server's
 * secret key (`PARLEY_SECRETS_KEY`, README), which is not in the database. A dump or a
 * backup of the database alone does not give them away.
 */
export type SecretBox = {
  /** `sealed:v1:<base64url of iv ‖ tag ‖ ciphertext>` */
  seal(plain: string): string;
  /** The plain secret; throws `SecretKeyMismatch` when the key is not the one it was sealed with. */
  open(sealed: string): string;
};

export const sealedPrefix = 'sealed:v1:';
const ivBytes = 12;
const tagBytes = 16;
export const secretKeyBytes = 32;

export class SecretKeyMismatch extends Error {
  constructor() {
    super(
      'A stored secret cannot be opened with this server’s secret key: PARLEY_SECRETS_KEY (or .parley/secret-key) is not the key it was sealed with',
    );
    this.name = 'SecretKeyMismatch';
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(sealedPrefix);
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== secretKeyBytes) throw new Error(`a secret key has ${secretKeyBytes} bytes`);
  return {
    seal(plain) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
      return sealedPrefix + sealed.toString('base64url');
    },
    open(sealed) {
      if (!isSealed(sealed)) throw new Error('not a sealed secret');
      const bytes = Buffer.from(sealed.slice(sealedPrefix.length), 'base64url');
      if (bytes.length < ivBytes + tagBytes) throw new SecretKeyMismatch();
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivBytes));
      decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
      try {
        return Buffer.concat([
          decipher.update(bytes.subarray(ivBytes + tagBytes)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretKeyMismatch();
      }
    },
  };
}

/** A new key as text for `PARLEY_SECRETS_KEY`: 32 random bytes in base64. */
export function newSecretKeyText(): string {
  return randomBytes(secretKeyBytes).toString('base64');
}

/** A key from its text: 32 bytes in base64 (44 characters) or hex (64 characters). */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/]{43}=$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : null;
  if (!key || key.length !== secretKeyBytes) {
    throw new Error(
      `A secret key is ${secretKeyBytes} bytes in base64 (44 characters) or hex (64 characters); make one with: node -e "console.log(crypto.randomBytes(32).toString('base64'))"`,
    );
  }
  return key;
}
