import type { ChannelAdapter, MessagingChannel } from './adapter';
import { createChannels, type Channels } from './channels';
import { providerPaths } from './paths';
import type { AppliedSettings } from './saved-settings';
import type { ChannelSettings } from './settings';
import { createTwilioAdapter } from './twilio';
import { createWhatsAppAdapter } from './whatsapp';

/** A server's channels from its settings: an adapter for each channel set up. */
export function channelsFor(
  settings: ChannelSettings,
  secretKey: Buffer,
  applied?: Pick<AppliedSettings, 'sources' | 'problems'>,
): Channels {
  const adapters: Partial<Record<MessagingChannel, ChannelAdapter>> = {};
  if (settings.whatsapp) adapters.whatsapp = createWhatsAppAdapter(settings.whatsapp);
  if (settings.sms) {
    adapters.sms = createTwilioAdapter({
      ...settings.sms,
      // Inbound messages and delivery statuses come to the same address.
      statusCallbackUrl: `${settings.publicUrl}${providerPaths.sms}`,
    });
  }
  return createChannels(settings, adapters, secretKey, applied);
}
