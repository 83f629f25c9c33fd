import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, type PostLimits } from './post-webhook';
import { resolveWebhookTarget } from './target';

const limits: PostLimits = {
  connectTimeoutMs: 2000,
  responseTimeoutMs: 1000,
  maxResponseBytes: 64,
};
const servers: Server[] = [];

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const post = async (url: string) =>
  postWebhook(
    await resolveWebhookTarget(url, { allowPrivateNetwork: true }),
    { headers: { 'webhook-id': 'msg_1' }, body: '{"type":"t"}' },
    limits,
  );

describe('postWebhook', () => {
  it('posts the body with its headers and keeps a bounded snippet of the answer', async () => {
    let seen: { body: string; id: string | undefined } | null = null;
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { body, id: req.headers['webhook-id'] as string | undefined };
        res.end('x'.repeat(100_000));
      });
    });
    const result = await post(`${url}/hook`);
    expect(seen).toEqual({ body: '{"type":"t"}', id: 'msg_1' });
    expect(result.statusCode).toBe(200);
    expect(result.response).toHaveLength(64);
  });

  it('does not follow a redirect', async () => {
    let redirected = false;
    const elsewhere = await serve((_req, res) => {
      redirected = true;
      res.end('ok');
    });
    const url = await serve((_req, res) => {
      res.writeHead(307, { location: `${elsewhere}/` }).end();
    });
    const result = await post(url);
    expect(result.statusCode).toBe(307);
    expect(redirected).toBe(false);
  });

  it('gives up on an answer that does not come in time', async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const result = await post(url);
    expect(result).toMatchObject({ statusCode: null, error: 'response timeout' });
    expect(result.durationMs).toBeGreaterThanOrEqual(900);
  });

  it('reports a refused connection as an outcome, not a throw', async () => {
    const url = await serve(() => {});
    const closed = servers.pop();
    closed?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await post(url);
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});

describe('resolveWebhookTarget', () => {
  it('pins the resolved address and refuses private ones without leave', async () => {
    await expect(
      resolveWebhookTarget('http://localhost:1/x', { allowPrivateNetwork: false }),
    ).rejects.toThrow(/private/);
    await expect(
      resolveWebhookTarget('http://[::ffff:7f00:1]/x', { allowPrivateNetwork: false }),
    ).rejects.toThrow(/private/);
    await expect(
      resolveWebhookTarget('file:///etc/passwd', { allowPrivateNetwork: true }),
    ).rejects.toThrow(/http/);
    await expect(
      resolveWebhookTarget('http://user:pw@example.com/', { allowPrivateNetwork: true }),
    ).rejects.toThrow(/credentials/);
    const pinned = await resolveWebhookTarget('http://127.0.0.1:8080/x', {
      allowPrivateNetwork: true,
    });
    expect(pinned).toMatchObject({ address: '127.0.0.1', family: 4 });
  });
});
