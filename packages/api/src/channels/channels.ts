import { isMessagingChannel, type ChannelAdapter, type MessagingChannel } from './adapter';
import { signedMediaUrl, verifyMediaPath } from './media-links';
import type { SettingsKind, SettingsSource } from './saved-settings';
import { defaultApiUrls, defaultMailFrom, type ChannelSettings } from './settings';

/** The messaging channels of one server: their settings and an adapter for each one set up. */
export type Channels = {
  /** The settings in use (what admins saved over the environment's). */
  readonly settings: ChannelSettings;
  adapter(channel: string): ChannelAdapter | null;
  /**
   * Where a channel's settings (or the conversation settings) come from: saved by an
   * admin, the environment, or none (a channel not set up).
   */
  source(kind: SettingsKind): SettingsSource;
  /**
   * Why saved settings cannot be used (a channel is then off; conversations follow the
   * environment), or null.
   */
  problem(kind: SettingsKind): string | null;
  /** A signed public link to a file of a public message, for a provider to fetch. */
  mediaUrl(fileId: string, name: string): string;
  /** The file id of a signed `/channel-files/…` path, or null (bad or expired). */
  fileOfMediaPath(path: string): string | null;
  /** Reads the saved settings again (after a save; other processes every few seconds). */
  refresh(): Promise<void>;
};

/** Channels from fixed settings: an adapter for each channel configured. */
export function createChannels(
  settings: ChannelSettings,
  adapters: Partial<Record<MessagingChannel, ChannelAdapter>>,
  secretKey: Buffer,
  applied: {
    sources?: Partial<Record<SettingsKind, SettingsSource>>;
    problems?: Partial<Record<SettingsKind, string>>;
  } = {},
): Channels {
  return {
    settings,
    adapter: (channel) => (isMessagingChannel(channel) ? (adapters[channel] ?? null) : null),
    source: (kind) =>
      applied.sources?.[kind] ??
      (kind === 'conversations' || settings[kind] ? 'environment' : null),
    problem: (kind) => applied.problems?.[kind] ?? null,
    mediaUrl: (fileId, name) => signedMediaUrl(settings.publicUrl, secretKey, fileId, name),
    fileOfMediaPath: (path) => verifyMediaPath(secretKey, path),
    refresh: async () => {},
  };
}

/** No channel set up (tests that do not use them; a server without PARLEY_WHATSAPP_*, …). */
export function noChannelSettings(publicUrl: string): ChannelSettings {
  return {
    whatsapp: null,
    sms: null,
    email: { smtpUrl: null, mailFrom: defaultMailFrom, supportAddress: null },
    receivesMail: false,
    publicUrl,
    apiUrls: { ...defaultApiUrls },
    botEnabled: true,
    closingMessage: '',
    reopenDays: 0,
  };
}
