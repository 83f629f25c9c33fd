import type { ChannelAdapter } from '../adapter';
import { twilioConsent } from './consent';
import { fetchTwilioMedia } from './fetch-media';
import { parseTwilioWebhook } from './parse-webhook';
import { sendTwilioMessage } from './send-message';
import { twilioSettings, type TwilioConfig } from './settings';
import { verifyTwilioSignature } from './signature';

/** An empty TwiML document: "received, nothing to reply" (Parley replies through the API). */
const emptyTwiml = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * The SMS channel over Twilio Programmable Messaging: verifies `X-Twilio-Signature`,
 * parses inbound messages and status callbacks, answers with empty TwiML, recognises
 * Twilio's STOP/START keywords, downloads inbound media and sends through the Messages
 * resource. Throws at creation when the account sid, auth token or sender is missing.
 */
export function createTwilioAdapter(config: TwilioConfig): ChannelAdapter {
  const settings = twilioSettings(config);
  return {
    channel: 'sms',
    verify: (request) => verifyTwilioSignature(request, settings.authToken),
    parse: (request) => parseTwilioWebhook(request),
    acknowledgement: () => ({ contentType: 'text/xml', body: emptyTwiml }),
    consent: twilioConsent,
    fetchMedia: (media) => fetchTwilioMedia(settings, media),
    send: (message, progress) => sendTwilioMessage(settings, message, progress),
  };
}
