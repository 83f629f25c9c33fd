import type { DeliveryStatus, InboundItem, InboundMedia, ProviderRequest } from '../adapter';
import { describeTwilioError } from './error-codes';
import { field, isFormBody, readForm, type FormFields } from './form';

// Field names from "Twilio's request to your incoming message Webhook URL"
// (https://www.twilio.com/docs/messaging/guides/webhook-request) and "Outbound Message
// Status in Status Callbacks"
// (https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks).

const e164 = /^\+[1-9]\d{1,14}$/;

/** Statuses that say where a sent message got to; the others are on the way and skipped. */
const settled: Record<string, DeliveryStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed', // a scheduled message cancelled before sending: it never will be
};

/**
 * The message or status callback one Twilio webhook carries (Twilio sends one per
 * request). Skipped, as unknown: bodies that are not forms, senders that are not E.164
 * numbers (a WhatsApp `whatsapp:+…` address belongs to another adapter), and in-flight
 * statuses (queued, sending, accepted, scheduled…). Twilio's webhooks carry no time, so
 * `at` is when Parley read the request.
 */
export function parseTwilioWebhook(request: ProviderRequest, now = new Date()): InboundItem[] {
  if (!isFormBody(request)) return [];
  const fields = readForm(request);
  const sid = field(fields, 'MessageSid') ?? field(fields, 'SmsSid');
  if (!sid) return [];
  const status = field(fields, 'MessageStatus') ?? field(fields, 'SmsStatus');
  if (status !== null && status !== 'received' && status !== 'receiving') {
    return statusItem(sid, status, field(fields, 'ErrorCode'), now);
  }
  return messageItem(sid, fields, now);
}

function statusItem(
  sid: string,
  twilioStatus: string,
  errorCode: string | null,
  at: Date,
): InboundItem[] {
  const status = settled[twilioStatus];
  if (!status) return [];
  let error: string | null = null;
  if (status === 'failed') {
    error = errorCode
      ? describeTwilioError(errorCode)
      : twilioStatus === 'canceled'
        ? 'Cancelled before sending'
        : `Twilio reported the message ${twilioStatus}`;
  }
  return [{ kind: 'status', providerMessageId: sid, status, error, at }];
}

function messageItem(sid: string, fields: FormFields, at: Date): InboundItem[] {
  const from = field(fields, 'From');
  if (!from || !e164.test(from)) return [];
  const count = Number.parseInt(field(fields, 'NumMedia') ?? '0', 10);
  const media: InboundMedia[] = [];
  // Twilio allows 10 files a message; a larger count is not Twilio's and is not trusted.
  for (let i = 0; i < Math.min(Number.isFinite(count) ? count : 0, 10); i++) {
    const ref = field(fields, `MediaUrl${i}`);
    if (ref)
      media.push({ ref, contentType: field(fields, `MediaContentType${i}`), fileName: null });
  }
  return [
    {
      kind: 'message',
      providerMessageId: sid,
      from,
      profileName: null, // ProfileName is WhatsApp's; an SMS sender has no name
      text: field(fields, 'Body') ?? '',
      media,
      at,
    },
  ];
}
