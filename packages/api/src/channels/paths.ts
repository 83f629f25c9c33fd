import type { MessagingChannel } from './adapter';

/** Where each provider posts its webhooks (docs/api.md). */
export const providerPaths: Record<MessagingChannel, string> = {
  whatsapp: '/webhooks/whatsapp',
  sms: '/webhooks/twilio',
};
