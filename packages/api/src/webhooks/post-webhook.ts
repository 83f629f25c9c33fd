import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from './target';

export type PostLimits = {
  /** Until the TCP (and TLS) connection is up. */
  connectTimeoutMs: number;
  /** From sending the request until the whole (bounded) response is read. */
  responseTimeoutMs: number;
  /** Bytes of the response body kept; the rest is not read. */
  maxResponseBytes: number;
};

export type PostResult = {
  /** null: no HTTP answer (refused, timed out, reset). */
  statusCode: number | null;
  durationMs: number;
  /** The first bytes of the body, as text. */
  response: string | null;
  error: string | null;
};

/**
 * POSTs one webhook to a resolved target: connects to the pinned address only (the
 * agent's `lookup` never asks DNS again), follows no redirect (a 3xx is an answer like
 * any other, not a success), reads at most `maxResponseBytes` of the answer and gives
 * up at the timeouts. Never throws: every outcome is a result to record.
 */
export function postWebhook(
  target: WebhookTarget,
  request: { headers: Record<string, string>; body: string },
  limits: PostLimits,
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const req = client.request(target.url, {
      method: 'POST',
      lookup: pinned,
      agent: false, // a fresh connection per request: no pooled socket to another address
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'Parley-Webhooks/1',
      },
    });
    const fail = (message: string) => {
      finish({ statusCode: null, response: null, error: message });
      req.destroy();
    };
    const connectTimer = setTimeout(() => fail('connect timeout'), limits.connectTimeoutMs);
    const responseTimer = setTimeout(() => fail('response timeout'), limits.responseTimeoutMs);
    req.on('socket', (socket) => {
      const connected = () => clearTimeout(connectTimer);
      if (!socket.connecting) connected();
      socket.once(target.url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    req.on('error', (error) => fail(error.message));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        finish({
          statusCode: res.statusCode ?? null,
          response: Buffer.concat(chunks).subarray(0, limits.maxResponseBytes).toString('utf8'),
          error: null,
        });
        req.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= limits.maxResponseBytes) done(); // enough: stop reading
      });
      res.on('end', done);
      res.on('error', (error) => fail(error.message));
    });
    req.end(request.body);
  });
}
