import type { AppRouter } from '@parley/api';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';

/** One change seen on the live inbox: its event type and ticket. */
export type InboxChange = { type: string; ticketId: string };

export type Inbox = {
  /** Resolves once the subscription is live (its first, `ready`, event). */
  ready: Promise<void>;
  /** Resolves with the first change that matches. */
  waitFor(match: (change: InboxChange) => boolean, timeoutMs?: number): Promise<InboxChange>;
  close(): Promise<void>;
};

/**
 * Subscribes to `realtime.onInbox` over WebSocket with the app's token in
 * `connectionParams` (Node 20 has no global WebSocket, so the `ws` package stands in).
 */
export function openInbox(url: string, token: string): Inbox {
  const socket = createWSClient({
    url: `${url.replace(/^http/, 'ws').replace(/\/$/, '')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token },
  });
  const parley = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket })] });
  const seen: InboxChange[] = [];
  const listeners = new Set<() => void>();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const subscription = parley.realtime.onInbox.subscribe(undefined, {
    onData(item) {
      // Every item arrives as { id, data }; typing and presence come on ticket streams only.
      const event = item.data;
      if (event.type === 'typing' || event.type === 'presence') return;
      if (event.type === 'ready') markReady();
      else if ('ticketId' in event) seen.push({ type: event.type, ticketId: event.ticketId });
      for (const listener of listeners) listener();
    },
  });

  return {
    ready,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = seen.find(match);
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error('the expected inbox event did not arrive in time'));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async close() {
      subscription.unsubscribe();
      await socket.close();
    },
  };
}
