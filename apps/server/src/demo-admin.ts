import { randomBytes } from 'node:crypto';
import { AppError, createUser } from '@parley/api';
import { countUsers, type Db } from '@parley/db';

export const demoAdminEmail = 'admin@example.com';

/**
 * On the very first start (no users at all) creates an admin so a new install can be
 * tried at once; returns its one-time password, or null when nothing was created (another
 * server process created the first account meanwhile).
 */
export async function createDemoAdminIfEmpty(db: Db): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = randomBytes(12).toString('base64url');
  try {
    await createUser(db, { email: demoAdminEmail, name: 'Demo Admin', role: 'admin', password });
    return password;
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONFLICT') return null;
    throw error;
  }
}
