import { z } from 'zod';
import type { DeliveryStatus, InboundItem, InboundMessage, InboundStatus } from '../adapter';
import { waIdToE164 } from './phone';

// The messages webhook (field `messages`) as Meta documents it: entry[].changes[].value
// holds `contacts` + `messages` (the customer wrote) or `statuses` (our sends moved on).
// Each level is checked on its own, so one part we do not understand is skipped and the
// rest of the batch still counts. zod's objects ignore fields they do not list.

const unixSeconds = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]);
const nonEmpty = z.string().min(1);

const envelope = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.unknown()),
});
const entrySchema = z.object({ changes: z.array(z.unknown()) });
const changeSchema = z.object({
  field: z.string().optional(),
  value: z.object({
    metadata: z.object({ phone_number_id: z.string().optional() }).optional(),
    contacts: z.array(z.unknown()).optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
  }),
});
const contactSchema = z.object({
  wa_id: nonEmpty,
  profile: z.object({ name: z.string().optional() }).optional(),
});

const mediaTypes = ['image', 'document', 'audio', 'video', 'sticker'] as const;
type MediaType = (typeof mediaTypes)[number];
const mediaSchema = z.object({
  id: nonEmpty,
  mime_type: z.string().optional(),
  filename: z.string().optional(),
  caption: z.string().optional(),
});
const replySchema = z.object({ id: z.string().optional(), title: z.string().optional() });
const messageSchema = z.object({
  from: nonEmpty,
  id: nonEmpty,
  timestamp: unixSeconds,
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  document: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: replySchema.optional(),
      list_reply: replySchema.optional(),
    })
    .optional(),
  button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
});

const deliveryStatuses: readonly string[] = ['sent', 'delivered', 'read', 'failed'];
const statusSchema = z.object({
  id: nonEmpty,
  status: z.string(),
  timestamp: unixSeconds,
  errors: z
    .array(
      z.object({
        code: z.number().optional(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

type StatusError = NonNullable<z.infer<typeof statusSchema>['errors']>[number];

/**
 * The messages and status callbacks of a (verified) webhook body. Never throws: a body
 * that is not the documented shape gives [], and within it an entry, change, message or
 * status that is not understood is skipped. With `phoneNumberId`, changes addressed to
 * another number of the same business account are skipped too (one app may serve several
 * numbers; each is its own channel).
 *
 * Message types: text; image, document, audio, video and sticker (the media id, the
 * caption as text); a tapped reply button or list row (`interactive`: the reply's id —
 * Parley puts the chip's full text there — or its title when the id is empty); a
 * template's quick-reply button (`button`: its text). Other types (location, contacts,
 * reactions, orders, system notices, `unsupported`) are skipped rather than stored as
 * empty messages: an empty message would wake the bot or open a ticket for nothing.
 */
export function parseWhatsAppWebhook(
  rawBody: Buffer,
  options: { phoneNumberId?: string } = {},
): InboundItem[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return [];
  }
  const body = envelope.safeParse(json);
  if (!body.success) return [];
  const items: InboundItem[] = [];
  for (const rawEntry of body.data.entry) {
    const entry = entrySchema.safeParse(rawEntry);
    if (!entry.success) continue;
    for (const rawChange of entry.data.changes) {
      const change = changeSchema.safeParse(rawChange);
      if (!change.success) continue;
      const { field, value } = change.data;
      if (field !== undefined && field !== 'messages') continue;
      const addressedTo = value.metadata?.phone_number_id;
      if (options.phoneNumberId && addressedTo && addressedTo !== options.phoneNumberId) continue;
      const names = profileNames(value.contacts ?? []);
      for (const raw of value.messages ?? []) {
        const message = toMessage(raw, names);
        if (message) items.push(message);
      }
      for (const raw of value.statuses ?? []) {
        const status = toStatus(raw);
        if (status) items.push(status);
      }
    }
  }
  return items;
}

function profileNames(contacts: unknown[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const raw of contacts) {
    const contact = contactSchema.safeParse(raw);
    const name = contact.data?.profile?.name?.trim();
    if (contact.success && name) names.set(digits(contact.data.wa_id), name);
  }
  return names;
}

function toMessage(raw: unknown, names: Map<string, string>): InboundMessage | null {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const message = parsed.data;
  const from = waIdToE164(message.from);
  const at = fromUnixSeconds(message.timestamp);
  const content = messageContent(message);
  if (!from || !at || !content) return null;
  return {
    kind: 'message',
    providerMessageId: message.id,
    from,
    profileName: names.get(digits(message.from)) ?? null,
    text: content.text,
    media: content.media,
    at,
  };
}

function messageContent(
  message: z.infer<typeof messageSchema>,
): Pick<InboundMessage, 'text' | 'media'> | null {
  if (message.type === 'text') {
    return message.text ? { text: message.text.body, media: [] } : null;
  }
  if (isMediaType(message.type)) {
    const media = message[message.type];
    if (!media) return null;
    return {
      text: media.caption ?? '',
      media: [
        { ref: media.id, contentType: media.mime_type ?? null, fileName: media.filename ?? null },
      ],
    };
  }
  if (message.type === 'interactive') {
    const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
    const text = reply?.id || reply?.title;
    return text ? { text, media: [] } : null;
  }
  if (message.type === 'button') {
    const text = message.button?.text || message.button?.payload;
    return text ? { text, media: [] } : null;
  }
  return null;
}

function toStatus(raw: unknown): InboundStatus | null {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success || !isDeliveryStatus(parsed.data.status)) return null;
  const at = fromUnixSeconds(parsed.data.timestamp);
  if (!at) return null;
  const status = parsed.data.status;
  return {
    kind: 'status',
    providerMessageId: parsed.data.id,
    status,
    error: status === 'failed' ? failureText(parsed.data.errors?.[0]) : null,
    at,
  };
}

/** "Message undeliverable: <details> (131026)", from whichever parts Meta sent. */
function failureText(error: StatusError | undefined): string | null {
  if (!error) return null;
  const headline = error.title ?? error.message;
  const detail = [error.message, error.error_data?.details].find(
    (part) => part && part !== headline,
  );
  const text = [headline, detail].filter(Boolean).join(': ');
  if (!text) return error.code === undefined ? null : `WhatsApp error ${error.code}`;
  return error.code === undefined ? text : `${text} (${error.code})`;
}

function fromUnixSeconds(value: string | number): Date | null {
  const at = new Date(Number(value) * 1000);
  return Number.isFinite(at.getTime()) ? at : null;
}

const digits = (s: string) => s.replace(/\D/g, '');
const isMediaType = (type: string): type is MediaType =>
  (mediaTypes as readonly string[]).includes(type);
const isDeliveryStatus = (status: string): status is DeliveryStatus =>
  deliveryStatuses.includes(status);
