import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  providerPaths,
  takeInbound,
  type MessagingChannel,
  type ProviderRequest,
  type Services,
} from '@parley/api';
import { getAttachmentRow } from '@parley/db';
import { discardBody } from './discard-body';
import { sendAttachment } from './files/download';
import { errorFields, type Logger } from './log';

/** The largest webhook body a provider may post (Meta's and Twilio's are a few KB). */
export const maxProviderBodyBytes = 1024 * 1024;

const channelOfPath = new Map<string, MessagingChannel>(
  Object.entries(providerPaths).map(([channel, path]) => [path, channel as MessagingChannel]),
);

/**
 * The providers' side of WhatsApp and SMS: `GET/POST /webhooks/whatsapp`,
 * `POST /webhooks/twilio`, and `GET /channel-files/…` (files Parley sends, fetched by
 * the provider with a signed, expiring link). A webhook is verified over its raw bytes
 * before anything is read from it (401 otherwise, nothing stored); it is answered only
 * once all it carried is stored, so a failure (500) makes the provider send it again,
 * and the repeat is recognised by the provider's message ids.
 */
export function createChannelHttp(services: Services, logger: Logger) {
  return {
    handles: (path: string) => channelOfPath.has(path) || path.startsWith('/channel-files/'),

    async serve(req: IncomingMessage, res: ServerResponse, path: string, search: string) {
      if (path.startsWith('/channel-files/')) return serveChannelFile(services, req, res, path);
      const channel = channelOfPath.get(path)!;
      const adapter = services.channels.adapter(channel);
      if (!adapter) return plain(res, 404, `${channel} is not set up on this server`);
      const url = `${services.channels.settings.publicUrl}${path}${search ? `?${search}` : ''}`;
      if (req.method === 'GET') {
        const challenge = adapter.handshake?.(new URL(url)) ?? null;
        return challenge === null
          ? plain(res, 403, 'Verification failed')
          : plain(res, 200, challenge);
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', adapter.handshake ? 'GET, POST' : 'POST');
        return plain(res, 405, 'Method not allowed');
      }
      const rawBody = await readBody(req, maxProviderBodyBytes);
      if (rawBody === null) return plain(res, 413, 'Request body too large');
      const request: ProviderRequest = {
        method: 'POST',
        url,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : value,
          ]),
        ),
        rawBody,
      };
      if (!adapter.verify(request)) {
        logger.warn('provider webhook refused: bad signature', { channel });
        return plain(res, 401, 'Invalid signature');
      }
      try {
        await takeInbound(
          { ...services, settings: services.channels.settings },
          adapter,
          adapter.parse(request),
        );
      } catch (error) {
        logger.warn('provider webhook not taken in (the provider retries it)', {
          channel,
          ...errorFields(error),
        });
        return plain(res, 500, 'Not stored; try again');
      }
      const ack = adapter.acknowledgement();
      res.writeHead(200, { 'content-type': ack.contentType });
      res.end(ack.body);
    },
  };
}

async function serveChannelFile(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return plain(res, 405, 'Method not allowed');
  }
  const id = services.channels.fileOfMediaPath(path);
  const row = id ? await getAttachmentRow(services.db, { id }) : undefined;
  // A file still pending (never sent) or of a deleted message is not served.
  if (!row || !row.ticketId) return plain(res, 404, 'Not found');
  await sendAttachment(services, req, res, row, false);
}

function plain(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

/**
 * The whole body, or null once it grows past `maxBytes`: the rest is then discarded as
 * for a refused upload (a silent or endless sender is cut off).
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const take = (part: Buffer) => {
      size += part.length;
      if (size <= maxBytes) return void parts.push(part);
      req.off('data', take);
      discardBody(req);
      resolve(null);
    };
    req.on('data', take);
    req.once('end', () => resolve(Buffer.concat(parts)));
    req.once('error', reject);
  });
}
