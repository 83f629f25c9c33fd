/**
 * A local stand-in for Twilio Programmable Messaging, built from Twilio's public docs:
 *
 * - Messages resource, create (POST …/Accounts/{AccountSid}/Messages.json, form fields,
 *   201 Message JSON, sids `SM` + 32 hex):
 *   https://www.twilio.com/docs/messaging/api/message-resource
 * - Error JSON `{ code, message, more_info, status }` and HTTP Basic auth (20003):
 *   https://www.twilio.com/docs/usage/twilios-response
 *   https://www.twilio.com/docs/api/errors (21211, 21602, 21603, 21604, 21617, 21623)
 * - Inbound media behind Basic auth, redirected to storage:
 *   https://www.twilio.com/docs/messaging/api/media-resource
 * - The inbound webhook's fields (MessageSid, From, To, Body, NumMedia, MediaUrl{N},
 *   MediaContentType{N}, …), posted as application/x-www-form-urlencoded:
 *   https://www.twilio.com/docs/messaging/guides/webhook-request
 * - Status callbacks (MessageSid, MessageStatus, ErrorCode):
 *   https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
 * - X-Twilio-Signature (HMAC-SHA1 of the URL and the POST fields sorted by name, base64):
 *   https://www.twilio.com/docs/usage/webhooks/webhooks-security and the worked example
 *   of https://www.twilio.com/docs/security (AuthToken 12345).
 *
 * The signing here is written separately from the adapter's on purpose: a round trip
 * between the two only passes when both follow the documented algorithm.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderRequest } from '../adapter';

/** A Twilio REST error body. */
export type TwilioErrorBody = { code: number; message: string; more_info?: string };

/** One Messages-create request the fake accepted. */
export type FakeTwilioSend = {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string | null;
  statusCallback: string | null;
  /** Every MediaUrl, in posted order. */
  mediaUrls: string[];
  /** Every field as posted; a repeated field keeps all its values. */
  form: Record<string, string[]>;
};

export type FakeTwilio = AsyncDisposable & {
  /** The API base to give the adapter as `apiUrl` (`http://127.0.0.1:<port>`). */
  url: string;
  accountSid: string;
  authToken: string;
  /** The messages accepted, in arrival order. */
  sent: FakeTwilioSend[];
  /** The SMS channel settings that send through this fake, from the number `from`. */
  smsSettings(from: string): {
    apiUrl: string;
    accountSid: string;
    authToken: string;
    from: string;
  };
  /** Every Messages-create request, accepted or not (status answered). */
  requests: Array<{ status: number; authorized: boolean }>;
  /** Resolves once `n` messages are accepted; rejects after `timeoutMs`. */
  waitForSends(n: number, timeoutMs?: number): Promise<FakeTwilioSend[]>;
  /** The next Messages-create request is answered `status` with this Twilio error. */
  failNext(status: number, error: TwilioErrorBody): void;
  /** The next Messages-create request gets no answer (a timeout for the client). */
  stallNext(): void;
  /** Holds a file as an inbound message's media; answers its MediaUrl (Basic auth). */
  addMedia(bytes: Buffer, contentType: string): string;
  /** How many requests reached media URLs, and how many of them were authorized. */
  mediaRequests: Array<{ authorized: boolean }>;
  close(): Promise<void>;
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A Twilio sid: two letters and 32 hex digits. */
export const twilioSid = (prefix: string) => prefix + hex(16);

/** Starts the fake on a random local port. */
export async function startFakeTwilio(
  options: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? twilioSid('AC');
  const authToken = options.authToken ?? hex(16);
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const sent: FakeTwilioSend[] = [];
  const requests: FakeTwilio['requests'] = [];
  const mediaRequests: FakeTwilio['mediaRequests'] = [];
  const planned: Array<{ status: number; error: TwilioErrorBody } | 'stall'> = [];
  const media = new Map<string, { bytes: Buffer; contentType: string }>();
  const waiters = new Set<() => void>();
  const stalled: ServerResponse[] = [];
  let base = '';

  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const wanted = Buffer.from(expectedAuth);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      const messages = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
      if (messages && req.method === 'POST') return createMessage(req, res, messages[1]!, body);
      const mediaPath = /^\/2010-04-01\/Accounts\/[^/]+\/Messages\/[^/]+\/Media\/([^/]+)$/.exec(
        path,
      );
      if (mediaPath && req.method === 'GET') {
        const ok = authorized(req);
        mediaRequests.push({ authorized: ok });
        if (!ok) return twilioError(res, 401, { code: 20003, message: 'Authenticate' });
        if (!media.has(mediaPath[1]!)) {
          return twilioError(res, 404, {
            code: 20404,
            message: 'The requested resource was not found',
          });
        }
        // Like Twilio: the file itself is served elsewhere, at an unauthenticated address.
        res.writeHead(307, { location: `/media-storage/${mediaPath[1]}` }).end();
        return;
      }
      const stored = /^\/media-storage\/([^/]+)$/.exec(path);
      const file = stored ? media.get(stored[1]!) : undefined;
      if (file && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': file.contentType,
          'content-length': file.bytes.length,
        });
        res.end(file.bytes);
        return;
      }
      twilioError(res, 404, { code: 20404, message: 'The requested resource was not found' });
    });
  });

  function createMessage(req: IncomingMessage, res: ServerResponse, pathSid: string, body: string) {
    const plan = planned.shift();
    if (plan === 'stall') {
      requests.push({ status: 0, authorized: authorized(req) });
      stalled.push(res);
      return;
    }
    const answer = (status: number, error: TwilioErrorBody) => {
      requests.push({ status, authorized: authorized(req) });
      twilioError(res, status, error);
    };
    if (!authorized(req)) return answer(401, { code: 20003, message: 'Authenticate' });
    if (pathSid !== accountSid) {
      return answer(404, { code: 20404, message: 'The requested resource was not found' });
    }
    if (plan) return answer(plan.status, plan.error);
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return answer(400, { code: 21211, message: 'Expected a form-encoded body' });
    }
    const form: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(body)) (form[key] ??= []).push(value);
    const one = (key: string) => form[key]?.[0] ?? null;
    const to = one('To');
    const from = one('From');
    const service = one('MessagingServiceSid');
    const text = one('Body');
    const mediaUrls = form.MediaUrl ?? [];
    if (!to) return answer(400, { code: 21604, message: "A 'To' phone number is required." });
    if (!/^\+[1-9]\d{1,14}$/.test(to)) {
      return answer(400, { code: 21211, message: `Invalid 'To' Phone Number: ${to}` });
    }
    if (!from && !service)
      return answer(400, { code: 21603, message: "A 'From' phone number is required." });
    if (!text && mediaUrls.length === 0)
      return answer(400, { code: 21602, message: 'Message body is required.' });
    if ((text ?? '').length > 1600) {
      return answer(400, {
        code: 21617,
        message: 'The concatenated message body exceeds the 1600 character limit.',
      });
    }
    if (mediaUrls.length > 10) {
      return answer(400, { code: 21623, message: 'Number of media files exceeds allowed limit' });
    }
    const sid = twilioSid('SM');
    sent.push({
      sid,
      accountSid: pathSid,
      to,
      from,
      messagingServiceSid: service,
      body: text,
      statusCallback: one('StatusCallback'),
      mediaUrls,
      form,
    });
    requests.push({ status: 201, authorized: true });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `/2010-04-01/Accounts/${pathSid}/Messages/${sid}.json`;
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        account_sid: pathSid,
        api_version: '2010-04-01',
        body: text ?? '',
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: service ? null : from,
        messaging_service_sid: service,
        num_media: String(mediaUrls.length),
        num_segments: String(Math.max(1, Math.ceil((text ?? '').length / 153))),
        price: null,
        price_unit: 'USD',
        sid,
        // With a Messaging Service a message starts "accepted", without one "queued".
        status: service ? 'accepted' : 'queued',
        subresource_uris: { media: uri.replace('.json', '/Media.json') },
        to,
        uri,
      }),
    );
    for (const wake of waiters) wake();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const close = async () => {
    for (const res of stalled.splice(0)) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    url: base,
    accountSid,
    authToken,
    smsSettings: (from) => ({ apiUrl: base, accountSid, authToken, from }),
    sent,
    requests,
    mediaRequests,
    waitForSends(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sent.length < n) return;
          cleanup();
          resolve(sent.slice(0, n));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Twilio: ${sent.length} of ${n} sends after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    failNext: (status, error) => void planned.push({ status, error }),
    stallNext: () => void planned.push('stall'),
    addMedia(bytes, contentType) {
      const mediaSid = twilioSid('ME');
      media.set(mediaSid, { bytes, contentType });
      return `${base}/2010-04-01/Accounts/${accountSid}/Messages/${twilioSid('MM')}/Media/${mediaSid}`;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function twilioError(res: ServerResponse, status: number, error: TwilioErrorBody) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      code: error.code,
      message: error.message,
      more_info: error.more_info ?? `https://www.twilio.com/docs/errors/${error.code}`,
      status,
    }),
  );
}

/** Form fields in posting order; a name may repeat. */
export type TwilioForm = Array<[name: string, value: string]>;

/**
 * `X-Twilio-Signature` as Twilio computes it: base64(HMAC-SHA1(authToken, url + each
 * field's name and value, fields sorted by name)); a repeated name's values keep their
 * order.
 */
export function signTwilio(
  url: string,
  params: TwilioForm | Record<string, string>,
  authToken: string,
): string {
  const fields = Array.isArray(params) ? params : Object.entries(params);
  const names = [...new Set(fields.map(([name]) => name))].sort();
  let data = url;
  for (const name of names) {
    for (const [key, value] of fields) if (key === name) data += key + value;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** The fields of an inbound SMS/MMS webhook, as Twilio posts them. */
export function twilioInboundForm(message: {
  from: string;
  to: string;
  body: string;
  sid?: string;
  accountSid?: string;
  media?: Array<{ url: string; contentType: string }>;
}): TwilioForm {
  const sid = message.sid ?? twilioSid(message.media?.length ? 'MM' : 'SM');
  const accountSid = message.accountSid ?? twilioSid('AC');
  const form: TwilioForm = [
    ['ToCountry', 'US'],
    ['ToState', 'CA'],
    ['SmsMessageSid', sid],
    ['NumMedia', String(message.media?.length ?? 0)],
    ['ToCity', 'SAN FRANCISCO'],
    ['FromZip', '94105'],
    ['SmsSid', sid],
    ['FromState', 'CA'],
    ['SmsStatus', 'received'],
    ['FromCity', 'SAN FRANCISCO'],
    ['Body', message.body],
    ['FromCountry', 'US'],
    ['To', message.to],
    ['ToZip', '94105'],
    ['NumSegments', '1'],
    ['MessageSid', sid],
    ['AccountSid', accountSid],
    ['From', message.from],
    ['ApiVersion', '2010-04-01'],
  ];
  message.media?.forEach((file, i) => {
    form.push([`MediaContentType${i}`, file.contentType], [`MediaUrl${i}`, file.url]);
  });
  return form;
}

/** The fields of a status callback for a message Parley sent. */
export function twilioStatusForm(status: {
  sid: string;
  status: string;
  errorCode?: string | number;
  accountSid?: string;
  from?: string;
  to?: string;
}): TwilioForm {
  const form: TwilioForm = [
    ['SmsSid', status.sid],
    ['SmsStatus', status.status],
    ['MessageStatus', status.status],
    ['To', status.to ?? '+14155550100'],
    ['MessageSid', status.sid],
    ['AccountSid', status.accountSid ?? twilioSid('AC')],
    ['From', status.from ?? '+14155550199'],
    ['ApiVersion', '2010-04-01'],
  ];
  if (status.errorCode !== undefined) form.push(['ErrorCode', String(status.errorCode)]);
  return form;
}

/** The request Twilio makes to `url` with these fields, signed with `authToken`. */
export function signedTwilioRequest(
  url: string,
  form: TwilioForm,
  authToken: string,
): ProviderRequest {
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilio(url, form, authToken),
      'i-twilio-idempotency-token': hex(16),
    },
    rawBody: Buffer.from(new URLSearchParams(form).toString()),
  };
}

/**
 * Posts `form` to a server's Twilio webhook (`serverUrl`) as Twilio would: signed with
 * `authToken` for the address Twilio was given (`publicUrl`), which is what is checked.
 */
export function postTwilioWebhook(
  serverUrl: string,
  publicUrl: string,
  form: TwilioForm,
  authToken: string,
): Promise<Response> {
  const request = signedTwilioRequest(`${publicUrl}/webhooks/twilio`, form, authToken);
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return fetch(`${serverUrl}/webhooks/twilio`, {
    method: 'POST',
    headers,
    body: new Uint8Array(request.rawBody),
  });
}
