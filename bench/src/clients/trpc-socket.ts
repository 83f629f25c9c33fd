import WebSocket from 'ws';
import { nowMs } from '../harness/clock';

/**
 * What a subscription delivers: `tracked` envelopes arrive as `{ id, data }` with the
 * event in `data` (typing and presence too: they carry the stream's cursor).
 */
export type Delivery = { receivedAt: number; trackedId: string | null; value: unknown };

type Subscription = {
  onData: (delivery: Delivery) => void;
  onEnd: (reason: string) => void;
};

type WireMessage = {
  id?: number | string | null;
  result?: { type: 'started' | 'stopped' | 'data'; id?: string; data?: unknown };
  error?: { message?: string; data?: { code?: string } };
  method?: string;
};

/**
 * A thin client of tRPC's WebSocket protocol (JSON-RPC-like frames, no transformer),
 * the wire format any client in any language speaks. Lighter than `@trpc/client` so
 * that a worker process can hold thousands of sockets and the load generator takes as
 * little as possible of the cores it shares with the server.
 */
export class TrpcSocket {
  private nextId = 1;
  private readonly subscriptions = new Map<number, Subscription>();
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => this.receive(raw));
    ws.on('close', (code) => {
      this.closed = true;
      for (const sub of this.subscriptions.values()) sub.onEnd(`socket closed (${code})`);
      this.subscriptions.clear();
    });
    // Errors are followed by 'close', which ends the subscriptions.
    ws.on('error', () => {});
  }

  /** Opens a socket and authenticates it with `connectionParams: { token }`. */
  static open(wsUrl: string, token: string, localAddress?: string): Promise<TrpcSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${wsUrl}?connectionParams=1`, {
        perMessageDeflate: false,
        ...(localAddress ? { localAddress } : {}),
      });
      ws.once('open', () => {
        ws.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
        resolve(new TrpcSocket(ws));
      });
      ws.once('error', reject);
    });
  }

  /** Starts a subscription; resolves once the server has started it. */
  subscribe(
    path: string,
    input: unknown,
    onData: (delivery: Delivery) => void,
    onEnd: (reason: string) => void = () => {},
  ): number {
    const id = this.nextId++;
    this.subscriptions.set(id, { onData, onEnd });
    this.ws.send(JSON.stringify({ id, method: 'subscription', params: { path, input } }));
    return id;
  }

  unsubscribe(id: number): void {
    if (!this.subscriptions.delete(id) || this.closed) return;
    this.ws.send(JSON.stringify({ id, method: 'subscription.stop' }));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private receive(raw: Buffer): void {
    // The receipt time is taken before any parsing: what follows is client-side cost.
    const receivedAt = nowMs();
    const text = raw.toString('utf8');
    if (text === 'PING') {
      this.ws.send('PONG');
      return;
    }
    if (text === 'PONG') return;
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    if (typeof message.id !== 'number') return;
    const sub = this.subscriptions.get(message.id);
    if (!sub) return;
    if (message.error) {
      this.subscriptions.delete(message.id);
      sub.onEnd(`error ${message.error.data?.code ?? ''}: ${message.error.message ?? ''}`);
      return;
    }
    const result = message.result;
    if (!result) return;
    if (result.type === 'stopped') {
      this.subscriptions.delete(message.id);
      sub.onEnd('stopped by the server');
      return;
    }
    if (result.type !== 'data') return;
    if (result.id !== undefined) {
      const envelope = result.data as { data?: unknown } | undefined;
      sub.onData({ receivedAt, trackedId: result.id, value: envelope?.data });
    } else {
      sub.onData({ receivedAt, trackedId: null, value: result.data });
    }
  }
}
