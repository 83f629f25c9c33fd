import { randomUUID } from 'node:crypto';
import { nowMs, waitUntil } from '../harness/clock';
import { asEvent, createdMessage, SeqTracker } from './events';
import { HttpCaller } from './http-caller';
import { mapLimit } from './pool';
import { TrpcSocket } from './trpc-socket';

/** Worker side of B5: a client that falls behind by many events, then resumes. */
export const catchUpHandlers = {
  /** Subscribes to a ticket, notes the cursor of its `ready` event, and disconnects. */
  async 'catchUp.cursor'(args: { wsUrl: string; token: string; ticketId: string }) {
    const socket = await TrpcSocket.open(args.wsUrl, args.token);
    let cursor: string | null = null;
    socket.subscribe('realtime.onTicket', { ticketId: args.ticketId }, (delivery) => {
      if (asEvent(delivery.value).type === 'ready') cursor = delivery.trackedId;
    });
    await waitUntil(() => cursor !== null, 30_000);
    await socket.close();
    if (cursor === null) throw new Error('no ready event from realtime.onTicket');
    return { cursor: cursor as string };
  },

  /** Sends `count` messages to one ticket, `concurrency` at a time (closed loop). */
  async 'catchUp.produce'(args: {
    httpUrl: string;
    token: string;
    ticketId: string;
    count: number;
    concurrency: number;
  }) {
    const http = new HttpCaller(args.httpUrl, args.concurrency);
    const started = nowMs();
    const failures: string[] = [];
    await mapLimit(Array.from({ length: args.count }), args.concurrency, async () => {
      const result = await http.mutation(
        'messages.send',
        {
          ticketId: args.ticketId,
          body: 'A message the reconnecting client missed while it was away.',
          clientId: randomUUID(),
        },
        args.token,
      );
      if (!result.ok && failures.length < 5) failures.push(`${result.status} ${result.error}`);
    });
    http.close();
    return { ms: nowMs() - started, failures };
  },

  /**
   * Connects and subscribes with `lastEventId`; times the replay until `expected`
   * messages are in, checking that their seqs arrive once each and in order.
   */
  async 'catchUp.resume'(args: {
    wsUrl: string;
    token: string;
    ticketId: string;
    lastEventId: string;
    expected: number;
    timeoutMs: number;
  }) {
    const started = nowMs();
    const socket = await TrpcSocket.open(args.wsUrl, args.token);
    const seqs = new SeqTracker();
    let received = 0;
    let firstSeq: number | null = null;
    let resync: string | null = null;
    let ended: string | null = null;
    let doneAt = 0;
    socket.subscribe(
      'realtime.onTicket',
      { ticketId: args.ticketId, lastEventId: args.lastEventId },
      (delivery) => {
        const message = createdMessage(delivery.value);
        if (message) {
          firstSeq ??= message.seq;
          seqs.see(message.seq);
          received++;
          if (received === args.expected) doneAt = delivery.receivedAt;
          return;
        }
        const event = asEvent(delivery.value) as { type?: string; reason?: string };
        if (event.type === 'resync') resync = event.reason ?? 'resync';
      },
      (reason) => {
        ended = reason;
      },
    );
    await waitUntil(
      () => received >= args.expected || resync !== null || ended !== null,
      args.timeoutMs,
      1,
    );
    await socket.close();
    return {
      ms: doneAt ? doneAt - started : null,
      received,
      firstSeq,
      lastSeq: seqs.last,
      duplicates: seqs.duplicates,
      gaps: seqs.gaps,
      resync: resync as string | null,
      ended: ended as string | null,
    };
  },
};
