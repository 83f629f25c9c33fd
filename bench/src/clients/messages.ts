import { randomUUID } from 'node:crypto';
import { nowMs, waitUntil } from '../harness/clock';
import { createHistogram, encodeHistogram, recordMs, type Histogram } from '../harness/histogram';
import { runOpenLoop } from '../harness/open-loop';
import { sampleProcess, type ProcessSample } from '../harness/process-stats';
import { asEvent, createdMessage, SeqTracker, type WireMessage } from './events';
import { HttpCaller } from './http-caller';
import { mapLimit } from './pool';
import { TrpcSocket } from './trpc-socket';

/** A ticket this worker sends to and watches: its customer sends, its viewers subscribe. */
export type TicketTarget = { ticketId: string; senderToken: string; subscriberTokens: string[] };

type Watcher = { ticket: TicketState; seqs: SeqTracker; ended: string | null };
type TicketState = TicketTarget & { watchers: Watcher[]; maxAckedSeq: number };
type Send = {
  intendedAt: number;
  ticket: TicketState;
  record: boolean;
  delivered: number;
  settled: boolean;
  ok: boolean;
};

export type LoadResult = {
  fired: number;
  sendOk: number;
  sendFailed: number;
  /** Sends still without an answer when the drain ended, and their deliveries. */
  unsettled: number;
  unsettledDeliveries: number;
  failures: string[];
  expectedDeliveries: number;
  deliveries: number;
  duplicates: number;
  gaps: number;
  /** Subscribers whose last seq is not the ticket's last acknowledged message. */
  behind: number;
  endedSubscriptions: string[];
  /** Delivery latency from each send's intended time (one value per recipient). */
  latency: string;
  /** From the send transaction's start (database clock) to receipt: write + commit + fan-out. */
  afterWrite: string;
  /** `messages.send` response time from the intended time. */
  sendLatency: string;
  maxSchedulerLagMs: number;
  /** The drain ran out while deliveries were still coming: overload, not loss. */
  stillArriving: boolean;
  startedAt: number;
  lastDeliveryAt: number;
  before: ProcessSample;
  after: ProcessSample;
};

const body =
  'Hello, my order arrived damaged and I would like a replacement or a refund, ' +
  'whichever is quicker. Thanks!';

/**
 * Worker side of B1/B2: holds the subscribers of its tickets and sends messages to
 * those same tickets, so the send time and the receipt time are read in one process.
 */
export function createMessageClients() {
  let caller: HttpCaller | null = null;
  let tickets: TicketState[] = [];
  const sockets: TrpcSocket[] = [];
  let sends = new Map<string, Send>();
  let latency: Histogram = createHistogram();
  let afterWrite: Histogram = createHistogram();
  let lastDeliveryAt = 0;

  function onMessage(
    watcher: Watcher,
    message: WireMessage,
    receivedAt: number,
    at: string | undefined,
  ): void {
    watcher.seqs.see(message.seq);
    const send = message.clientId ? sends.get(message.clientId) : undefined;
    if (!send) return;
    send.delivered++;
    lastDeliveryAt = Math.max(lastDeliveryAt, receivedAt);
    if (!send.record) return;
    recordMs(latency, receivedAt - send.intendedAt);
    // `at` is the database's clock when the send's transaction began (wall clock, ms):
    // the part of the latency after it is the write, the commit and the fan-out.
    if (at) recordMs(afterWrite, Date.now() - Date.parse(at));
  }

  return {
    /** Opens one socket and one `realtime.onTicket` per subscriber; waits for every `ready`. */
    async 'messages.setup'(args: {
      wsUrl: string;
      httpUrl: string;
      tickets: TicketTarget[];
      localAddress?: string;
    }) {
      caller = new HttpCaller(args.httpUrl, 256);
      tickets = args.tickets.map((t) => ({ ...t, watchers: [], maxAckedSeq: 0 }));
      const jobs = tickets.flatMap((ticket) =>
        ticket.subscriberTokens.map((token) => ({ ticket, token })),
      );
      await mapLimit(jobs, 100, async ({ ticket, token }) => {
        const socket = await TrpcSocket.open(args.wsUrl, token, args.localAddress);
        sockets.push(socket);
        const watcher: Watcher = { ticket, seqs: new SeqTracker(), ended: null };
        ticket.watchers.push(watcher);
        let ready = false;
        socket.subscribe(
          'realtime.onTicket',
          { ticketId: ticket.ticketId },
          (delivery) => {
            const message = createdMessage(delivery.value);
            if (message)
              onMessage(watcher, message, delivery.receivedAt, asEvent(delivery.value).at);
            else if (asEvent(delivery.value).type === 'ready') ready = true;
          },
          (reason) => {
            watcher.ended = reason;
          },
        );
        if (!(await waitUntil(() => ready || watcher.ended !== null, 30_000))) {
          throw new Error(`no 'ready' from realtime.onTicket within 30 s`);
        }
        if (watcher.ended) throw new Error(`realtime.onTicket ended: ${watcher.ended}`);
      });
      return { sockets: sockets.length };
    },

    /** One open-loop phase: `rate` messages/s over this worker's tickets, then a drain. */
    async 'messages.load'(args: {
      rate: number;
      durationMs: number;
      warmupMs: number;
      startAt: number;
      drainMs: number;
      stallMs: number;
    }) {
      if (!caller) throw new Error('messages.setup first');
      const http = caller;
      sends = new Map();
      latency = createHistogram();
      afterWrite = createHistogram();
      const sendLatency = createHistogram();
      const failures: string[] = [];
      let sendFailed = 0;
      lastDeliveryAt = 0;
      const before = sampleProcess();
      const recordFrom = args.startAt + args.warmupMs;
      const loop = await runOpenLoop({
        rate: args.rate,
        durationMs: args.durationMs,
        startAt: args.startAt,
        fire: (intendedAt, index) => {
          const ticket = tickets[index % tickets.length] as TicketState;
          const clientId = randomUUID();
          const send: Send = {
            intendedAt,
            ticket,
            record: intendedAt >= recordFrom,
            delivered: 0,
            settled: false,
            ok: false,
          };
          sends.set(clientId, send);
          void http
            .mutation<WireMessage>(
              'messages.send',
              { ticketId: ticket.ticketId, body, clientId },
              ticket.senderToken,
            )
            .then((result) => {
              send.settled = true;
              if (send.record) recordMs(sendLatency, nowMs() - intendedAt);
              if (result.ok) {
                send.ok = true;
                ticket.maxAckedSeq = Math.max(ticket.maxAckedSeq, result.data.seq);
              } else {
                sendFailed++;
                if (failures.length < 5) failures.push(`${result.status} ${result.error}`);
              }
            });
        },
      });
      const all = [...sends.values()];
      const complete = () =>
        all.every((s) => s.settled && (!s.ok || s.delivered >= s.ticket.watchers.length));
      // Drain: wait while deliveries keep arriving (an overloaded server may be far
      // behind, which is slow, not lost); what has not come once they stop is missing.
      const progress = () => all.reduce((n, s) => n + s.delivered + (s.settled ? 1 : 0), 0);
      const drainUntil = nowMs() + args.drainMs;
      let last = -1;
      let stalled = false;
      while (!complete() && nowMs() < drainUntil) {
        const now = progress();
        if (now === last) {
          stalled = true;
          break;
        }
        last = now;
        await waitUntil(complete, Math.min(args.stallMs, Math.max(0, drainUntil - nowMs())));
      }
      // Still arriving when the drain ran out: the server is behind, not losing messages.
      const stillArriving = !complete() && !stalled && progress() > last;
      const after = sampleProcess();
      let expectedDeliveries = 0;
      let deliveries = 0;
      for (const s of all) {
        if (s.ok) expectedDeliveries += s.ticket.watchers.length;
        deliveries += s.delivered;
      }
      const watchers = tickets.flatMap((t) => t.watchers);
      return {
        fired: loop.fired,
        sendOk: all.filter((s) => s.ok).length,
        sendFailed,
        unsettled: all.filter((s) => !s.settled).length,
        unsettledDeliveries: all.reduce(
          (n, s) => n + (s.settled ? 0 : s.ticket.watchers.length),
          0,
        ),
        failures,
        expectedDeliveries,
        deliveries,
        duplicates: watchers.reduce((n, w) => n + w.seqs.duplicates, 0),
        gaps: watchers.reduce((n, w) => n + w.seqs.gaps, 0),
        behind: watchers.filter(
          (w) => w.ticket.maxAckedSeq > 0 && w.seqs.last !== w.ticket.maxAckedSeq,
        ).length,
        endedSubscriptions: watchers.flatMap((w) => (w.ended ? [w.ended] : [])).slice(0, 5),
        latency: encodeHistogram(latency),
        afterWrite: encodeHistogram(afterWrite),
        sendLatency: encodeHistogram(sendLatency),
        maxSchedulerLagMs: loop.maxLagMs,
        stillArriving,
        startedAt: args.startAt,
        lastDeliveryAt,
        before,
        after,
      } satisfies LoadResult;
    },

    async 'messages.close'() {
      await Promise.all(sockets.map((s) => s.close()));
      sockets.length = 0;
      caller?.close();
    },
  };
}
