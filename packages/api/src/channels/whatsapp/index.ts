import type { ChannelAdapter } from '../adapter';
import type { GraphClient } from './graph-client';
import { answerHandshake } from './handshake';
import { defaultMaxMediaBytes, downloadMedia } from './media';
import { parseWhatsAppWebhook } from './parse-webhook';
import { sendWhatsAppMessage } from './send';
import { headerValue, verifyWhatsAppSignature } from './signature';

export type WhatsAppConfig = {
  /** The Graph API base (`https://graph.facebook.com`); tests point it at a local server. */
  apiUrl: string;
  /** The Graph API version in every path; default `v21.0`. */
  apiVersion?: string;
  /** The business phone number's id (not the number itself): sends go out from it. */
  phoneNumberId: string;
  /** A system user's access token with `whatsapp_business_messaging`. */
  accessToken: string;
  /** The Meta app's secret: webhook bodies are signed with it. */
  appSecret: string;
  /** The token set in the app dashboard for the webhook subscription handshake. */
  verifyToken: string;
  fetch?: typeof fetch;
  /** Deadline of each Graph request, reading its answer included; default 30 s. */
  timeoutMs?: number;
  /** Largest inbound file `fetchMedia` reads; default 100 MB (WhatsApp's own maximum). */
  maxMediaBytes?: number;
};

/**
 * The WhatsApp Business Cloud API (Meta Graph API) as a Parley channel: verifies
 * `X-Hub-Signature-256`, answers the `hub.challenge` handshake, parses the messages
 * webhook, downloads media, and sends text, reply buttons, templates and files. Throws
 * at creation when a setting is missing or the API URL is not one.
 */
export function createWhatsAppAdapter(config: WhatsAppConfig): ChannelAdapter {
  const missing = (['phoneNumberId', 'accessToken', 'appSecret', 'verifyToken'] as const).filter(
    (key) => !config[key]?.trim(),
  );
  if (missing.length > 0) throw new Error(`WhatsApp settings missing: ${missing.join(', ')}`);
  if (!URL.canParse(config.apiUrl)) {
    throw new Error(`WhatsApp settings: the API URL "${config.apiUrl}" is not a URL`);
  }
  const client: GraphClient = {
    base: `${config.apiUrl.replace(/\/+$/, '')}/${config.apiVersion ?? 'v21.0'}`,
    accessToken: config.accessToken,
    fetch: config.fetch ?? globalThis.fetch,
    timeoutMs: config.timeoutMs ?? 30_000,
  };
  const maxMediaBytes = config.maxMediaBytes ?? defaultMaxMediaBytes;
  return {
    channel: 'whatsapp',
    verify: (request) =>
      verifyWhatsAppSignature(
        request.rawBody,
        headerValue(request.headers, 'x-hub-signature-256'),
        config.appSecret,
      ),
    parse: (request) =>
      parseWhatsAppWebhook(request.rawBody, { phoneNumberId: config.phoneNumberId }),
    // Meta wants a quick 200; anything else is retried.
    acknowledgement: () => ({ contentType: 'text/plain', body: '' }),
    handshake: (url) => answerHandshake(url, config.verifyToken),
    fetchMedia: (media) => downloadMedia(client, media.ref, maxMediaBytes),
    send: (message, progress) =>
      sendWhatsAppMessage(client, config.phoneNumberId, message, progress),
  };
}

export { GraphApiError } from './graph-client';
