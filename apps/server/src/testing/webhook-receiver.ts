import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got, checked with the `standardwebhooks` verifier. */
export type ReceivedWebhook = {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the verifier returned (the parsed body), or the error it threw. */
  verified: { ok: true; payload: unknown } | { ok: false; error: string };
  /** The status this request was answered with. */
  status: number;
};

export type WebhookReceiver = AsyncDisposable & {
  /** `http://127.0.0.1:<port>` */
  url: string;
  received: ReceivedWebhook[];
  /** The requests to one path (one endpoint each), in arrival order. */
  at(path: string): ReceivedWebhook[];
  /** Sets the secret a path's requests are verified with (the one `create` returned). */
  secretFor(path: string, secret: string): void;
  /** How a path answers its n-th request (0-based); 200 unless set. */
  answer(path: string, status: (n: number) => number): void;
  /** From now on, requests get no answer until `release()`: their senders wait mid-request. */
  hold(): void;
  /** Requests waiting for their answer (`hold`). */
  readonly held: number;
  /** Answers what is held and every later request as usual. */
  release(): void;
};

/**
 * A local HTTP receiver for webhook tests: every request is verified with the
 * `standardwebhooks` package's `Webhook` class against its path's secret. With `delayMs`,
 * each answer comes that much later (a slow receiver keeps a batch of deliveries going).
 */
export async function startWebhookReceiver(
  options: { delayMs?: number } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const secrets = new Map<string, string>();
  const answers = new Map<string, (n: number) => number>();
  let holding = false;
  const held: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: ReceivedWebhook['verified'];
      try {
        const secret = secrets.get(path);
        if (!secret) throw new Error(`no secret for ${path}`);
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
        );
        verified = { ok: true, payload: new Webhook(secret).verify(body, headers) };
      } catch (error) {
        verified = { ok: false, error: String(error) };
      }
      const n = received.filter((r) => r.path === path).length;
      const status = answers.get(path)?.(n) ?? 200;
      received.push({ path, headers: req.headers, body, verified, status });
      const answer = () => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status < 300 ? 'thanks' : `no, attempt ${n + 1}`);
      };
      const answerInTime = () => {
        if (holding) held.push(answer);
        else answer();
      };
      if (options.delayMs) setTimeout(answerInTime, options.delayMs);
      else answerInTime();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    at: (path) => received.filter((r) => r.path === path),
    secretFor: (path, secret) => void secrets.set(path, secret),
    answer: (path, status) => void answers.set(path, status),
    hold: () => void (holding = true),
    get held() {
      return held.length;
    },
    release() {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
