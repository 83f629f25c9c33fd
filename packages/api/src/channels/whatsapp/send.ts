import { z } from 'zod';
import { PermanentSendError, type OutboundMessage, type SendProgress } from '../adapter';
import { GraphApiError, graphRequest, type GraphClient } from './graph-client';
import { uploadMedia } from './media';
import { e164ToWaId } from './phone';
import { splitText, splitTail } from './split-text';

/** WhatsApp's limits (Cloud API messages reference). */
export const limits = {
  text: 4096,
  buttonsBody: 1024,
  caption: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
} as const;

type MediaKind = 'image' | 'video' | 'audio' | 'document';
type Part = Record<string, unknown> | (() => Promise<Record<string, unknown>>);

const sendAnswer = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });

/**
 * Sends one Parley message as as many Cloud API messages as it takes: the text (split at
 * 4096), each file (uploaded, then sent by media id; a single image, video or document
 * carries a short text as its caption), and the quick replies as reply buttons under the
 * text's last part. A template is sent alone. Answers the message ids of the parts sent,
 * in order.
 *
 * Throws PermanentSendError when WhatsApp refused the request for a reason a retry cannot
 * fix (a 4xx other than throttling: outside the 24-hour window, undeliverable, bad
 * template…) or when the message cannot be expressed on WhatsApp; any other error may be
 * retried. WhatsApp has no idempotency key: a retry after a later part failed skips the
 * parts `progress` says were sent (a file already sent is not even uploaded again).
 */
export async function sendWhatsAppMessage(
  client: GraphClient,
  phoneNumberId: string,
  message: OutboundMessage,
  progress?: SendProgress,
): Promise<{ providerMessageIds: string[] }> {
  const to = e164ToWaId(message.to);
  if (!to) throw new PermanentSendError(`WhatsApp: "${message.to}" is not an E.164 phone number`);
  const parts = plan(message, client, phoneNumberId);
  const providerMessageIds: string[] = [];
  let sent = 0;
  for (const [index, part] of parts.entries()) {
    if (progress?.sent.has(index)) {
      sent += 1;
      continue;
    }
    let id: string;
    try {
      const content = typeof part === 'function' ? await part() : part;
      id = await post(client, phoneNumberId, to, content);
    } catch (error) {
      throw asSendError(error, sent, parts.length);
    }
    providerMessageIds.push(id);
    sent += 1;
    await progress?.onPartSent(index, id);
  }
  return { providerMessageIds };
}

function plan(message: OutboundMessage, client: GraphClient, phoneNumberId: string): Part[] {
  if (message.template) {
    if (message.media.length > 0) {
      throw new PermanentSendError('WhatsApp: a template message cannot carry attachments');
    }
    const { name, language, variables } = message.template;
    return [
      {
        type: 'template',
        template: {
          name,
          language: { code: language },
          ...(variables.length > 0 && {
            components: [
              { type: 'body', parameters: variables.map((text) => ({ type: 'text', text })) },
            ],
          }),
        },
      },
    ];
  }
  const { quickReplies } = message;
  if (quickReplies.length > limits.buttons) {
    throw new PermanentSendError(
      `WhatsApp shows at most ${limits.buttons} reply buttons; this message has ${quickReplies.length}`,
    );
  }
  const text = message.text.trim() ? message.text : '';
  if (quickReplies.length > 0 && !text) {
    throw new PermanentSendError('WhatsApp reply buttons need a text to stand under');
  }
  if (!text && message.media.length === 0) {
    throw new PermanentSendError('WhatsApp: the message has no text, file or template to send');
  }

  const [only] = message.media;
  const captioned =
    message.media.length === 1 &&
    only !== undefined &&
    kindOf(only.contentType) !== 'audio' &&
    quickReplies.length === 0 &&
    text.length > 0 &&
    text.length <= limits.caption;

  const parts: Part[] = [];
  let buttonsBody = '';
  if (!captioned && text) {
    let leading = text;
    if (quickReplies.length > 0) {
      const { head, tail } = splitTail(text, limits.buttonsBody);
      leading = head;
      buttonsBody = tail;
    }
    if (leading) {
      for (const body of splitText(leading, limits.text)) {
        parts.push({ type: 'text', text: { body, preview_url: true } });
      }
    }
  }
  for (const file of message.media) {
    parts.push(async () => {
      const kind = kindOf(file.contentType);
      const id = await uploadMedia(client, phoneNumberId, {
        bytes: await file.read(),
        contentType: file.contentType,
        fileName: file.fileName,
      });
      return {
        type: kind,
        [kind]: {
          id,
          ...(kind === 'document' && { filename: file.fileName }),
          ...(captioned && { caption: text }),
        },
      };
    });
  }
  if (quickReplies.length > 0) {
    parts.push({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: buttonsBody },
        action: {
          buttons: quickReplies.map((chip) => ({
            type: 'reply',
            reply: {
              id: cut(chip, limits.buttonId, ''),
              title: cut(chip, limits.buttonTitle, '…'),
            },
          })),
        },
      },
    });
  }
  return parts;
}

async function post(
  client: GraphClient,
  phoneNumberId: string,
  to: string,
  content: Record<string, unknown>,
): Promise<string> {
  return graphRequest(
    client,
    'send',
    `${client.base}/${encodeURIComponent(phoneNumberId)}/messages`,
    {
      method: 'POST',
      json: { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...content },
    },
    async (response) => {
      const answer = sendAnswer.safeParse(await response.json());
      if (!answer.success) throw new Error('WhatsApp accepted the message without a message id');
      return answer.data.messages[0]!.id;
    },
  );
}

function asSendError(error: unknown, sent: number, total: number): Error {
  const progress = sent > 0 ? ` (after ${sent} of ${total} parts were sent)` : '';
  if (error instanceof PermanentSendError) return error;
  if (error instanceof GraphApiError && !error.details.retryable) {
    return new PermanentSendError(`${error.message}${progress}`, { cause: error });
  }
  if (error instanceof Error) {
    return progress ? new Error(`${error.message}${progress}`, { cause: error }) : error;
  }
  return new Error(String(error));
}

// WhatsApp's image and video types are few; anything else goes as a document, which takes
// every type and keeps the file name.
function kindOf(contentType: string): MediaKind {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  if (type === 'video/mp4' || type === 'video/3gpp') return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

/** At most `max` code points, the last one replaced by `mark` when cut. */
function cut(text: string, max: number, mark: string): string {
  const points = [...text];
  if (points.length <= max) return text;
  return points.slice(0, max - [...mark].length).join('') + mark;
}
