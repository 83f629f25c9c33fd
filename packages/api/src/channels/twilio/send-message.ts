import { z } from 'zod';
import { PermanentSendError, type OutboundMessage, type SendProgress } from '../adapter';
import { describeTwilioError } from './error-codes';
import { splitForSms, withQuickReplies } from './outbound-text';
import type { TwilioSettings } from './settings';

// The Messages resource (https://www.twilio.com/docs/messaging/api/message-resource):
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, HTTP Basic auth;
// errors as JSON `{ code, message, more_info, status }`
// (https://www.twilio.com/docs/usage/twilios-response).

/** Most MediaUrl values Twilio takes in one message. */
export const maxMediaPerMessage = 10;

/** Twilio refused a message for good (4xx other than 429); `code` is Twilio's. */
export class TwilioRefusedError extends PermanentSendError {
  override name = 'TwilioRefusedError';
  constructor(
    message: string,
    readonly code: number | null,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

const createdMessage = z.object({ sid: z.string().min(1) });
const twilioError = z.object({
  code: z.number().nullish(),
  message: z.string().nullish(),
  more_info: z.string().nullish(),
});

/** One request to the Messages resource: what `send` posts for each part. */
type Part = { body: string; mediaUrls: string[] };

/**
 * The requests one outbound message becomes: its text (with any quick replies) split at
 * 1600 characters, and its files in groups of 10. The first request carries the first
 * part of the text and the first files; the rest follow in order, text before files.
 */
export function planParts(message: OutboundMessage): Part[] {
  if (message.template) throw new PermanentSendError('SMS has no templates');
  const text = withQuickReplies(message.text, message.quickReplies);
  const texts = text === '' ? [] : splitForSms(text);
  const urls = message.media.map((file) => file.url);
  const groups: string[][] = [];
  for (let i = 0; i < urls.length; i += maxMediaPerMessage) {
    groups.push(urls.slice(i, i + maxMediaPerMessage));
  }
  if (texts.length === 0 && groups.length === 0) {
    throw new PermanentSendError('Nothing to send: the SMS has neither text nor files');
  }
  const parts: Part[] = [{ body: texts[0] ?? '', mediaUrls: groups[0] ?? [] }];
  for (const body of texts.slice(1)) parts.push({ body, mediaUrls: [] });
  for (const mediaUrls of groups.slice(1)) parts.push({ body: '', mediaUrls });
  return parts;
}

/**
 * Sends a message as one or more Twilio messages, in order, and answers the sids of the
 * parts it sent. Throws TwilioRefusedError (a PermanentSendError) when Twilio refuses it
 * with a 4xx other than 429, and a plain Error (worth retrying) on 429, 5xx, a network
 * failure or no answer within the timeout. When a later part fails, the earlier ones were
 * sent (and reported to `progress`, whose retry skips them: Twilio has no idempotency key).
 */
export async function sendTwilioMessage(
  settings: TwilioSettings,
  message: OutboundMessage,
  progress?: SendProgress,
): Promise<{ providerMessageIds: string[] }> {
  const parts = planParts(message);
  const providerMessageIds: string[] = [];
  for (const [index, part] of parts.entries()) {
    if (progress?.sent.has(index)) continue;
    const sid = await createMessage(settings, message.to, part);
    providerMessageIds.push(sid);
    await progress?.onPartSent(index, sid);
  }
  return { providerMessageIds };
}

async function createMessage(settings: TwilioSettings, to: string, part: Part): Promise<string> {
  const form = new URLSearchParams({ To: to });
  if (settings.from.startsWith('MG')) form.set('MessagingServiceSid', settings.from);
  else form.set('From', settings.from);
  if (part.body !== '') form.set('Body', part.body);
  for (const url of part.mediaUrls) form.append('MediaUrl', url);
  if (settings.statusCallbackUrl) form.set('StatusCallback', settings.statusCallbackUrl);

  const endpoint = `${settings.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  let response: Response;
  let text: string;
  try {
    response = await settings.fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: settings.basicAuth,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new Error(`Twilio did not answer within ${settings.timeoutMs} ms`, { cause: error });
    }
    throw new Error(`Twilio could not be reached: ${String(error)}`, { cause: error });
  }

  if (response.ok) {
    const created = createdMessage.safeParse(safeJson(text));
    // A 2xx without a sid cannot be tracked; trying again may duplicate, but losing the
    // message silently is worse.
    if (!created.success)
      throw new Error(`Twilio answered ${response.status} without a message sid`);
    return created.data.sid;
  }
  const parsed = twilioError.safeParse(safeJson(text));
  const code = parsed.success ? (parsed.data.code ?? null) : null;
  const reason = parsed.success && parsed.data.message ? parsed.data.message : text.slice(0, 200);
  const described = code === null ? `HTTP ${response.status}` : describeTwilioError(code);
  const summary = `Twilio refused the message: ${reason} (${described}, HTTP ${response.status})`;
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    throw new TwilioRefusedError(summary, code, response.status);
  }
  throw new Error(summary.replace('refused the message', 'could not take the message now'));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
