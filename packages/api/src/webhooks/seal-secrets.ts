import { replaceWebhookSecret, unsealedWebhookSecrets, type Db } from '@parley/db';
import { sealedPrefix, type SecretBox } from '../secrets';

/**
 * Seals the signing secrets of endpoints registered before secrets were stored sealed
 * (at start-up; a second run, or another process doing the same, changes nothing).
 */
export async function sealStoredWebhookSecrets(db: Db, secrets: SecretBox): Promise<number> {
  const plain = await unsealedWebhookSecrets(db, sealedPrefix);
  for (const { id, secret } of plain) {
    await replaceWebhookSecret(db, { id, from: secret, to: secrets.seal(secret) });
  }
  return plain.length;
}
