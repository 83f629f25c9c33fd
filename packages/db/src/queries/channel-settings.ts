import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { channelSettings } from '../schema';

/**
 * What a row of `channel_settings` is for: a channel's provider settings, the
 * conversation settings both messaging channels share, or email's settings.
 */
export type SettingsChannel = 'whatsapp' | 'sms' | 'conversations' | 'email';

export type StoredChannelSettings = {
  channel: string;
  settings: unknown;
  updatedAt: Date;
};

/** The channel settings admins saved (none: every channel from the environment). */
export async function listChannelSettings(db: DbOrTx): Promise<StoredChannelSettings[]> {
  return db
    .select({
      channel: channelSettings.channel,
      settings: channelSettings.settings,
      updatedAt: channelSettings.updatedAt,
    })
    .from(channelSettings)
    .orderBy(channelSettings.channel);
}

/** Saves a channel's settings (secrets already sealed), replacing what was saved. */
export async function saveChannelSettings(
  db: DbOrTx,
  params: { channel: SettingsChannel; settings: unknown; updatedBy: string },
): Promise<void> {
  await db
    .insert(channelSettings)
    .values({ channel: params.channel, settings: params.settings, updatedBy: params.updatedBy })
    .onConflictDoUpdate({
      target: channelSettings.channel,
      set: {
        settings: params.settings,
        updatedBy: params.updatedBy,
        // clock_timestamp: two saves in one transaction still differ.
        updatedAt: sql`clock_timestamp()`,
      },
    });
}

/** Forgets a channel's saved settings: the environment's apply again. Whether there were any. */
export async function deleteChannelSettings(
  db: DbOrTx,
  params: { channel: SettingsChannel },
): Promise<boolean> {
  const deleted = await db
    .delete(channelSettings)
    .where(eq(channelSettings.channel, params.channel))
    .returning({ channel: channelSettings.channel });
  return deleted.length > 0;
}
