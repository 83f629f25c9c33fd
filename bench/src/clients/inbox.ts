import { nowMs, waitUntil } from '../harness/clock';
import { sampleProcess } from '../harness/process-stats';
import { asEvent } from './events';
import { mapLimit } from './pool';
import { TrpcSocket } from './trpc-socket';

type Seen = { count: number; firstAt: number; lastAt: number };

/**
 * Worker side of B3 and B4: sockets with one `realtime.onInbox` subscription each.
 * Each records, per ticket, when a `ticket.updated` event first reached it.
 */
export function createInboxClients() {
  const sockets: TrpcSocket[] = [];
  const updates = new Map<string, Seen>();
  const ended: string[] = [];

  return {
    async 'inbox.open'(args: {
      wsUrl: string;
      tokens: string[];
      localAddress?: string;
      concurrency?: number;
    }) {
      const started = nowMs();
      await mapLimit(args.tokens, args.concurrency ?? 100, async (token) => {
        const socket = await TrpcSocket.open(args.wsUrl, token, args.localAddress);
        sockets.push(socket);
        let ready = false;
        let seenHere = new Set<string>();
        socket.subscribe(
          'realtime.onInbox',
          {},
          (delivery) => {
            const event = asEvent(delivery.value);
            if (event.type === 'ready') {
              ready = true;
              seenHere = new Set();
            } else if (
              event.type === 'ticket.updated' &&
              event.ticketId &&
              !seenHere.has(event.ticketId)
            ) {
              seenHere.add(event.ticketId);
              const seen = updates.get(event.ticketId) ?? {
                count: 0,
                firstAt: Infinity,
                lastAt: 0,
              };
              seen.count++;
              seen.firstAt = Math.min(seen.firstAt, delivery.receivedAt);
              seen.lastAt = Math.max(seen.lastAt, delivery.receivedAt);
              updates.set(event.ticketId, seen);
            }
          },
          (reason) => {
            if (ended.length < 5) ended.push(reason);
          },
        );
        if (!(await waitUntil(() => ready || socket.closed, 60_000))) {
          throw new Error(`no 'ready' from realtime.onInbox within 60 s`);
        }
      });
      return { sockets: sockets.length, ms: nowMs() - started, process: sampleProcess() };
    },

    /** How many of this worker's sockets saw the update of `ticketId`, and when the last did. */
    'inbox.seen'(args: { ticketId: string }) {
      return updates.get(args.ticketId) ?? { count: 0, firstAt: 0, lastAt: 0 };
    },

    'inbox.status'() {
      return { open: sockets.filter((s) => !s.closed).length, ended, process: sampleProcess() };
    },

    async 'inbox.close'() {
      await mapLimit(sockets, 500, (s) => s.close());
      sockets.length = 0;
      updates.clear();
    },
  };
}
