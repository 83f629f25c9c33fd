export { channelsFor } from './channels-for';
export { createChannels, noChannelSettings, type Channels } from './channels';
export {
  channelSettingsFromEnv,
  type ChannelSettings,
  type EmailSettings,
  type TwilioSettings,
  type WhatsAppSettings,
  type WhatsAppTemplate,
} from './settings';
export type { ChannelAdapter, MessagingChannel, ProviderRequest } from './adapter';
export { takeInbound } from './inbound';
export { startLiveChannels, type LiveChannels } from './live-channels';
export { providerPaths } from './paths';
