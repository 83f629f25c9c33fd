import type { Db } from '@parley/db';
import { Ephemeral } from './ephemeral';
import type { Viewer } from './events';
import type { FanOut } from './fan-out';
import { createSignalPublisher } from './signal-publisher';
import { parseSignal } from './signals';
import type { Subscriber } from './subscriber';
import type { HubTuning } from './tuning';

export type LiveSignals = ReturnType<typeof createLiveSignals>;

/**
 * Typing and presence for a hub: the in-memory `Ephemeral` state, fed by local
 * subscriptions and by other processes' signals, published through the database and
 * delivered through the fan-out, expired by a timer that starts with the first use.
 */
export function createLiveSignals(options: {
  hubId: string;
  /** The live pool: signals must not queue behind request traffic. */
  db: Db;
  tuning: Pick<
    HubTuning,
    'typingTtlMs' | 'typingRenewMs' | 'presenceHeartbeatMs' | 'presenceTtlMs'
  >;
  fanOut: FanOut;
  onError: (message: string, error: unknown) => void;
}) {
  const { tuning, fanOut } = options;
  const publisher = createSignalPublisher(options.db, (error) =>
    options.onError('publishing a signal failed', error),
  );
  const ephemeral = new Ephemeral({
    hubId: options.hubId,
    typingTtlMs: tuning.typingTtlMs,
    typingRenewMs: tuning.typingRenewMs,
    presenceHeartbeatMs: tuning.presenceHeartbeatMs,
    presenceTtlMs: tuning.presenceTtlMs,
    now: Date.now,
    publish: (message) => publisher.publish(message),
    emit: (ticketId, build) => fanOut.signal(ticketId, build),
  });
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  // Expiry runs even on a process without subscribers (it relays other processes' signals).
  const ensureTicking = () => {
    if (timer || closed) return;
    timer = setInterval(() => ephemeral.tick(), Math.min(1000, tuning.typingTtlMs / 5));
    timer.unref();
  };

  /** Presence and current typing for a ticket subscriber that (re)starts. */
  const sendSnapshot = (sub: Subscriber) => {
    if (sub.scope.kind !== 'ticket') return;
    const { ticketId } = sub.scope;
    sub.presenceKey = null;
    const presence = ephemeral.presenceFor(sub, ticketId);
    if (presence) sub.push({ kind: 'signal', event: presence });
    for (const event of ephemeral.typingFor(sub, ticketId)) sub.push({ kind: 'signal', event });
  };

  return {
    /** A subscriber was added: a ticket's viewer joins its presence. */
    opened(sub: Subscriber): void {
      ensureTicking();
      if (sub.scope.kind === 'ticket') ephemeral.join(sub.scope.ticketId, sub.viewer);
      sendSnapshot(sub);
    },
    /** A subscriber re-read the log after an overflow: it gets the current state again. */
    resynced: sendSnapshot,
    closed(sub: Subscriber): void {
      if (sub.scope.kind === 'ticket' && !closed) ephemeral.leave(sub.scope.ticketId, sub.viewer);
    },
    typing(viewer: Viewer, ticketId: string, typing: boolean, internal: boolean): void {
      ensureTicking();
      ephemeral.typing(ticketId, viewer, typing, internal);
    },
    /** A NOTIFY payload on the signals channel (anything malformed is ignored). */
    receive(payload: string): void {
      const message = parseSignal(payload);
      if (!message) return;
      ensureTicking();
      ephemeral.receive(message);
    },
    /** Tells other processes this one's viewers left; resolves once that is sent. */
    close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      ephemeral.leaveAll();
      return publisher.flush();
    },
  };
}
