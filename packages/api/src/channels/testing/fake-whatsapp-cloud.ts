/**
 * A local stand-in for Meta's WhatsApp Business Cloud API (Graph API) and its webhooks,
 * for tests: Parley's adapter talks to it over real HTTP exactly as it would to
 * graph.facebook.com. Formats follow Meta's public documentation:
 *
 * - Messages webhook (envelope, contacts, messages, statuses):
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 *   …/webhooks/reference/messages/status/ · …/messages/interactive · …/messages/image ·
 *   …/messages/document/ · …/messages/errors
 * - X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret, `sha256=<hex>`)
 *   and the hub.challenge handshake: https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 *   (read through https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/webhooks/start
 *   and https://docsx.wazapin.com/api/webhook-signature-examples)
 * - Sending (POST /{version}/{phone-number-id}/messages, its answer, reply buttons and
 *   their limits): https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 *   and https://developers.facebook.com/docs/whatsapp/guides/interactive-messages/
 * - Templates (template.name, language.code, components[].parameters):
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
 * - Media (upload: multipart messaging_product, type, file → { id }; GET /{media-id} →
 *   { url, mime_type, sha256, file_size, id }; download with the bearer token):
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media/
 * - Graph errors ({ error: { message, type, code, error_subcode, error_data, fbtrace_id } })
 *   and codes such as 131047 (re-engagement) and 131026 (undeliverable): the Cloud API
 *   error codes page, /docs/whatsapp/cloud-api/support/error-codes/ (read through
 *   https://www.achieveapex.com/docs/error-codes/whatsapp/131047 and
 *   https://niswey.com/knowledge-base/error-codes-meta for the throttling codes).
 * - Media types and sizes (documents up to 100 MB):
 *   https://help.vtex.com/en/docs/tutorials/supported-media-sending-whatsapp-cloud
 */
import { createHmac, createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderRequest } from '../adapter';

/** A Graph error body's `error` (what `failNext` makes the fake answer). */
export type GraphError = {
  message: string;
  type?: string;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product?: 'whatsapp'; details: string };
};

/** One request the fake received. */
export type FakeGraphRequest = {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The parsed JSON body, the multipart fields (files by name and size), or null. */
  body: unknown;
  /** The status the fake answered with. */
  status: number;
};

/** One `POST …/messages` (answered or refused: see `status`). */
export type FakeWhatsAppSend = {
  phoneNumberId: string;
  body: Record<string, unknown>;
  status: number;
  /** The `wamid.…` the fake answered, null when it refused. */
  messageId: string | null;
};

export type FakeMedia = {
  id: string;
  bytes: Buffer;
  mimeType: string;
  fileName: string | null;
};

export type FakeWhatsAppCloud = AsyncDisposable & {
  /** `http://127.0.0.1:<port>`: the adapter's `apiUrl`. */
  url: string;
  accessToken: string;
  apiVersion: string;
  phoneNumberId: string;
  /** Every request, in arrival order. */
  requests: FakeGraphRequest[];
  /** Every message send, in arrival order. */
  sent: FakeWhatsAppSend[];
  /** Files uploaded with `POST …/media`. */
  uploads: FakeMedia[];
  /** Resolves with the first `n` sends once there are that many; rejects after the timeout. */
  waitForSends(n: number, timeoutMs?: number): Promise<FakeWhatsAppSend[]>;
  /** The next request (after its token is checked) is answered with this status and error. */
  failNext(status: number, error?: GraphError): void;
  /**
   * The `nth` media upload from now (1: the next one) is answered with this status and
   * error, once; the uploads before and after it go through.
   */
  failUpload(nth: number, status: number, error?: GraphError): void;
  /** A file a customer "sent": its media id, for `GET /{media-id}` and the download. */
  addMedia(bytes: Buffer, mimeType: string, fileName?: string): string;
  close(): Promise<void>;
};

const textMax = 4096;
const buttonsBodyMax = 1024;
const buttonTitleMax = 20;
const buttonIdMax = 256;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly error: GraphError,
  ) {
    super(error.message);
  }
}

const invalidParameter = (details: string) =>
  new Refusal(400, {
    message: '(#100) Invalid parameter',
    type: 'OAuthException',
    code: 100,
    error_data: { messaging_product: 'whatsapp', details },
  });
const unknownObject = (id: string) =>
  new Refusal(400, {
    message: `Unsupported request - method type: get or post. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  });

const unknownError = (status: number): GraphError => ({
  message: 'An unknown error occurred',
  type: 'OAuthException',
  code: status >= 500 ? 1 : 131000,
});

/** Starts the fake on a random local port. */
export async function startFakeWhatsAppCloud(
  options: { accessToken?: string; apiVersion?: string; phoneNumberId?: string } = {},
): Promise<FakeWhatsAppCloud> {
  const accessToken = options.accessToken ?? 'test-access-token';
  const apiVersion = options.apiVersion ?? 'v21.0';
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  const requests: FakeGraphRequest[] = [];
  const sent: FakeWhatsAppSend[] = [];
  const uploads: FakeMedia[] = [];
  const media = new Map<string, FakeMedia>();
  const failures: { status: number; error: GraphError }[] = [];
  // Planned upload failures, by the number of the upload request they answer.
  const uploadFailures = new Map<number, { status: number; error: GraphError }>();
  let uploadRequests = 0;
  const waiters = new Set<() => void>();
  let url = '';

  const notify = () => {
    for (const waiter of waiters) waiter();
  };

  async function route(
    req: IncomingMessage,
    raw: Buffer,
  ): Promise<{
    status: number;
    body: unknown;
    json: unknown;
    bytes?: { data: Buffer; type: string };
  }> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const segments = path.split('/').filter(Boolean);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== accessToken) {
      throw new Refusal(401, {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
      });
    }
    let body: unknown = null;
    if (req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/json')) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw invalidParameter('the body is not JSON');
      }
    }
    const failure = failures.shift();
    if (failure) throw new Refusal(failure.status, failure.error);

    if (req.method === 'GET' && segments[0] === 'download' && segments.length === 2) {
      const file = media.get(segments[1]!);
      if (!file) throw unknownObject(segments[1]!);
      return { status: 200, body, json: null, bytes: { data: file.bytes, type: file.mimeType } };
    }
    if (segments[0] !== apiVersion) {
      throw new Refusal(400, {
        message: `Unknown path components: /${segments.join('/')} (this fake serves ${apiVersion})`,
        type: 'OAuthException',
        code: 2500,
      });
    }
    if (req.method === 'GET' && segments.length === 2) {
      const file = media.get(segments[1]!);
      if (!file) throw unknownObject(segments[1]!);
      return {
        status: 200,
        body,
        json: {
          messaging_product: 'whatsapp',
          url: `${url}/download/${file.id}`,
          mime_type: file.mimeType,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          file_size: file.bytes.length,
          id: file.id,
        },
      };
    }
    if (req.method === 'POST' && segments.length === 3 && segments[2] === 'media') {
      if (segments[1] !== phoneNumberId) throw unknownObject(segments[1]!);
      const planned = uploadFailures.get(++uploadRequests);
      if (planned) {
        uploadFailures.delete(uploadRequests);
        throw new Refusal(planned.status, planned.error);
      }
      const form = await new Request(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: new Uint8Array(raw),
      })
        .formData()
        .catch(() => {
          throw invalidParameter('the upload is not multipart/form-data');
        });
      const file = form.get('file');
      const type = form.get('type');
      if (form.get('messaging_product') !== 'whatsapp') {
        throw invalidParameter('messaging_product must be whatsapp');
      }
      if (typeof type !== 'string' || !type) throw invalidParameter('type is required');
      if (!(file instanceof Blob)) throw invalidParameter('file is required');
      const stored: FakeMedia = {
        id: String(Date.now()) + randomBytes(4).readUInt32BE(0),
        bytes: Buffer.from(await file.arrayBuffer()),
        mimeType: type,
        fileName: file instanceof File ? file.name : null,
      };
      media.set(stored.id, stored);
      uploads.push(stored);
      const fields = {
        messaging_product: 'whatsapp',
        type,
        file: { name: stored.fileName, size: stored.bytes.length },
      };
      return { status: 200, body: fields, json: { id: stored.id } };
    }
    if (req.method === 'POST' && segments.length === 3 && segments[2] === 'messages') {
      if (segments[1] !== phoneNumberId) throw unknownObject(segments[1]!);
      const to = checkMessage(body);
      return {
        status: 200,
        body,
        json: {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [{ id: `wamid.${randomBytes(18).toString('base64url')}` }],
        },
      };
    }
    throw new Refusal(400, {
      message: `Unsupported ${req.method ?? ''} request to ${path}`,
      type: 'GraphMethodException',
      code: 100,
    });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      void route(req, raw).then(
        (answer) => finish(req, res, answer.status, answer.body, answer.json, answer.bytes),
        (error: unknown) => {
          const refusal =
            error instanceof Refusal
              ? error
              : new Refusal(500, { message: String(error), type: 'OAuthException', code: 1 });
          const body = jsonOrText(raw);
          finish(req, res, refusal.status, body, {
            error: { ...refusal.error, fbtrace_id: randomBytes(8).toString('base64url') },
          });
        },
      );
    });
  });

  function finish(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    json: unknown,
    bytes?: { data: Buffer; type: string },
  ) {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    requests.push({
      method: req.method ?? '',
      path,
      authorization: req.headers.authorization,
      body,
      status,
    });
    const segments = path.split('/').filter(Boolean);
    if (req.method === 'POST' && segments[2] === 'messages' && segments.length === 3) {
      const answer = json as { messages?: { id: string }[] } | null;
      sent.push({
        phoneNumberId: segments[1]!,
        body: (body ?? {}) as Record<string, unknown>,
        status,
        messageId: answer?.messages?.[0]?.id ?? null,
      });
      notify();
    }
    if (bytes) {
      res.writeHead(status, { 'content-type': bytes.type, 'content-length': bytes.data.length });
      res.end(bytes.data);
    } else {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    return closed;
  };

  return {
    url,
    accessToken,
    apiVersion,
    phoneNumberId,
    requests,
    sent,
    uploads,
    waitForSends(n, timeoutMs = 5000) {
      if (sent.length >= n) return Promise.resolve(sent.slice(0, n));
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sent.length < n) return;
          cleanup();
          resolve(sent.slice(0, n));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `the fake WhatsApp Cloud API got ${sent.length} sends, not ${n}, within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    failNext(status, error) {
      failures.push({ status, error: error ?? unknownError(status) });
    },
    failUpload(nth, status, error) {
      uploadFailures.set(uploadRequests + nth, { status, error: error ?? unknownError(status) });
    },
    addMedia(bytes, mimeType, fileName) {
      const id = String(Date.now()) + randomBytes(4).readUInt32BE(0);
      media.set(id, { id, bytes, mimeType, fileName: fileName ?? null });
      return id;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Checks a send's body against the documented shape and limits; answers its `to`. */
function checkMessage(body: unknown): string {
  if (!isRecord(body)) throw invalidParameter('the body must be a JSON object');
  if (body.messaging_product !== 'whatsapp')
    throw invalidParameter('messaging_product must be whatsapp');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    throw invalidParameter('recipient_type must be individual');
  }
  const to = body.to;
  if (typeof to !== 'string' || !/^\+?\d{6,15}$/.test(to))
    throw invalidParameter('to must be a phone number');
  const content = body[String(body.type)];
  if (!isRecord(content)) throw invalidParameter(`missing the ${String(body.type)} object`);
  switch (body.type) {
    case 'text': {
      const text = content.body;
      if (typeof text !== 'string' || !text.trim()) throw invalidParameter('text.body is required');
      if (text.length > textMax) throw invalidParameter(`text.body is longer than ${textMax}`);
      break;
    }
    case 'interactive': {
      const bodyText = isRecord(content.body) ? content.body.text : undefined;
      if (typeof bodyText !== 'string' || !bodyText.trim())
        throw invalidParameter('interactive.body.text is required');
      if (bodyText.length > buttonsBodyMax)
        throw invalidParameter(`interactive.body.text is longer than ${buttonsBodyMax}`);
      const buttons = isRecord(content.action) ? content.action.buttons : undefined;
      if (
        content.type !== 'button' ||
        !Array.isArray(buttons) ||
        buttons.length < 1 ||
        buttons.length > 3
      ) {
        throw invalidParameter('a button message has 1 to 3 buttons');
      }
      for (const button of buttons as unknown[]) {
        const reply = isRecord(button) && button.type === 'reply' ? button.reply : undefined;
        if (!isRecord(reply) || typeof reply.id !== 'string' || typeof reply.title !== 'string') {
          throw invalidParameter('each button is { type: reply, reply: { id, title } }');
        }
        if (!reply.id || reply.id.length > buttonIdMax)
          throw invalidParameter(`button id must be 1 to ${buttonIdMax} characters`);
        if (!reply.title || [...reply.title].length > buttonTitleMax) {
          throw invalidParameter(`button title must be 1 to ${buttonTitleMax} characters`);
        }
      }
      break;
    }
    case 'template': {
      const language = isRecord(content.language) ? content.language.code : undefined;
      if (typeof content.name !== 'string' || typeof language !== 'string') {
        throw invalidParameter('template.name and template.language.code are required');
      }
      break;
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      if (typeof content.id !== 'string' && typeof content.link !== 'string') {
        throw invalidParameter(`${body.type}.id or ${body.type}.link is required`);
      }
      if (body.type === 'audio' && content.caption !== undefined)
        throw invalidParameter('audio takes no caption');
      break;
    }
    default:
      throw invalidParameter(`unsupported message type ${String(body.type)}`);
  }
  return to;
}

function jsonOrText(raw: Buffer): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8').slice(0, 200);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---- Inbound: webhook bodies the way Meta posts them ---------------------------------

export type WhatsAppMediaInput = {
  kind: 'image' | 'document' | 'audio' | 'video' | 'sticker';
  /** The media id (from `addMedia`, to download it). */
  id: string;
  mimeType: string;
  filename?: string;
  caption?: string;
};

export type WhatsAppWebhookMessage = {
  /** The customer's number, with or without `+`. */
  from: string;
  /** Their WhatsApp profile name; omitted from `contacts` when null. */
  name?: string | null;
  /** Meta's message id; a fresh `wamid.…` when omitted (pass one to test a retry). */
  id?: string;
  /** Unix seconds or a Date; now when omitted. */
  timestamp?: number | Date;
  /** The business number the message was sent to; the fake's default when omitted. */
  phoneNumberId?: string;
} & (
  | { text: string }
  /** A tapped reply button (`interactive.button_reply`). */
  | { button: { id: string; title: string } }
  /** A chosen list row (`interactive.list_reply`). */
  | { listReply: { id: string; title: string } }
  /** A template's quick-reply button (type `button`). */
  | { quickReply: { text: string; payload?: string } }
  | { media: WhatsAppMediaInput }
);

/** The raw body of a messages webhook carrying one customer message. */
export function whatsappWebhookBody(message: WhatsAppWebhookMessage): string {
  const waId = message.from.replace(/\D/g, '');
  const base = {
    from: waId,
    id: message.id ?? newWamid(),
    timestamp: String(unixSeconds(message.timestamp)),
  };
  let content: Record<string, unknown>;
  if ('text' in message) content = { type: 'text', text: { body: message.text } };
  else if ('button' in message) {
    content = {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: message.button },
    };
  } else if ('listReply' in message) {
    content = {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { ...message.listReply, description: '' } },
    };
  } else if ('quickReply' in message) {
    content = {
      type: 'button',
      button: {
        text: message.quickReply.text,
        payload: message.quickReply.payload ?? message.quickReply.text,
      },
    };
  } else {
    const { kind, id, mimeType, filename, caption } = message.media;
    content = {
      type: kind,
      [kind]: {
        id,
        mime_type: mimeType,
        sha256: createHash('sha256').update(id).digest('base64'),
        ...(filename !== undefined && { filename }),
        ...(caption !== undefined && { caption }),
      },
    };
  }
  return envelope(message.phoneNumberId, {
    ...(message.name != null && { contacts: [{ profile: { name: message.name }, wa_id: waId }] }),
    messages: [{ ...base, ...content }],
  });
}

/** The raw body of a status webhook for a message the business sent. */
export function statusWebhookBody(status: {
  /** The `wamid.…` the send answered. */
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | (string & {});
  /** The customer's number, with or without `+`. */
  recipient: string;
  timestamp?: number | Date;
  error?: { code: number; title: string; message?: string; details?: string };
  phoneNumberId?: string;
}): string {
  const { error } = status;
  return envelope(status.phoneNumberId, {
    statuses: [
      {
        id: status.id,
        status: status.status,
        timestamp: String(unixSeconds(status.timestamp)),
        recipient_id: status.recipient.replace(/\D/g, ''),
        ...(error && {
          errors: [
            {
              code: error.code,
              title: error.title,
              message: error.message ?? error.title,
              ...(error.details !== undefined && { error_data: { details: error.details } }),
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        }),
      },
    ],
  });
}

/** The `X-Hub-Signature-256` header Meta sends with `body`. */
export function signWhatsApp(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * A signed webhook POST as Meta sends it: a ProviderRequest for the adapter, whose
 * `headers` and `rawBody` can also be posted to a running server.
 */
export function signedWhatsAppWebhook(
  body: string,
  appSecret: string,
  url = 'https://parley.test/webhooks/whatsapp',
): ProviderRequest & { headers: Record<string, string> } {
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWhatsApp(body, appSecret),
    },
    rawBody: Buffer.from(body, 'utf8'),
  };
}

function envelope(phoneNumberId: string | undefined, value: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550783881',
                phone_number_id: phoneNumberId ?? '106540352242922',
              },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
}

const newWamid = () => `wamid.${randomBytes(24).toString('base64url')}`;
const unixSeconds = (at: number | Date | undefined) =>
  at === undefined
    ? Math.floor(Date.now() / 1000)
    : at instanceof Date
      ? Math.floor(at.getTime() / 1000)
      : at;
