import { randomBytes } from 'node:crypto';
import { hashPassword } from '@parley/api';
import { countUsers, insertUser, type Db } from '@parley/db';

export const demoAdminEmail = 'admin@example.com';

/**
 * On the very first start (no users at all) creates an admin so a new install can be
 * tried at once; returns its one-time password, or null when nothing was created.
 */
export async function createDemoAdminIfEmpty(db: Db): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = randomBytes(12).toString('base64url');
  const row = await insertUser(db, {
    email: demoAdminEmail,
    name: 'Demo Admin',
    role: 'admin',
    passwordHash: await hashPassword(password),
  });
  return row ? password : null;
}
