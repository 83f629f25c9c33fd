import { listChannelSettings, type Db } from '@parley/db';
import type { SecretBox } from '../secrets';
import type { Channels } from './channels';
import { channelsFor } from './channels-for';
import { applySavedSettings } from './saved-settings';
import type { ChannelSettings } from './settings';

export type LiveChannels = Channels & { close(): void };

/** How often a process reads saved settings again (a save elsewhere shows within this). */
export const settingsRefreshMs = 10_000;

/**
 * A server's channels with what admins saved (`channel_settings`) over the environment's
 * settings. The process that saves refreshes at once; the others within `refreshMs`.
 */
export async function startLiveChannels(params: {
  db: Db;
  base: ChannelSettings;
  secrets: SecretBox;
  secretKey: Buffer;
  refreshMs?: number;
  onRefreshError?: (error: unknown) => void;
}): Promise<LiveChannels> {
  let current = channelsFor(params.base, params.secretKey);
  let stamp = '';
  const load = async () => {
    const rows = await listChannelSettings(params.db);
    const next = JSON.stringify(rows.map((row) => [row.channel, row.updatedAt.toISOString()]));
    if (next === stamp) return;
    const applied = applySavedSettings(params.base, rows, params.secrets);
    current = channelsFor(applied.settings, params.secretKey, applied);
    stamp = next;
  };
  // One read at a time, each after the one before: a refresh asked for after a save reads it.
  let queue: Promise<void> = Promise.resolve();
  const refresh = () => (queue = queue.then(load, load));
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => params.onRefreshError?.(error));
  }, params.refreshMs ?? settingsRefreshMs);
  timer.unref();
  return {
    get settings() {
      return current.settings;
    },
    adapter: (channel) => current.adapter(channel),
    source: (kind) => current.source(kind),
    problem: (kind) => current.problem(kind),
    mediaUrl: (fileId, name) => current.mediaUrl(fileId, name),
    fileOfMediaPath: (path) => current.fileOfMediaPath(path),
    refresh,
    close: () => clearInterval(timer),
  };
}
