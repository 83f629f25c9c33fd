import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum recommended cost (m=19 MiB, t=2, p=1).
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolated modules can't import).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

let decoy: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash. Without a hash (unknown email) it
 * verifies against a decoy so that the answer takes as long as a wrong password.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  decoy ??= hashPassword('decoy password that never matches');
  const target = storedHash ?? (await decoy);
  const ok = await verify(target, password).catch(() => false);
  return storedHash !== null && ok;
}
