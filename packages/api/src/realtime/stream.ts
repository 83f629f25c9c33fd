import {
  countVisibleEvents,
  latestEventId,
  readVisibleEvents,
  type Db,
  type VisibleRange,
} from '@parley/db';
import { tracked, type TrackedEnvelope } from '@trpc/server';
import { AppError } from '../errors';
import {
  isAgent,
  mayReceive,
  parseLoggedEvent,
  type EphemeralEvent,
  type StreamEvent,
  type Viewer,
} from './events';
import type { FanOut } from './fan-out';
import { closeCodes, type SocketHandle } from './socket-handle';
import { Subscriber } from './subscriber';

/**
 * What a subscription yields, every item `tracked` with the stream's cursor: a logged
 * event with its own id; an ephemeral signal (typing, presence) with the id of the
 * last logged event sent before it, and never replayed. Signals must carry it too:
 * tRPC's client remembers the id of the last item it received and resends that as
 * `lastEventId` on reconnect, and an untracked item made it forget the cursor, so a
 * reconnect after a typing or presence signal started afresh and skipped the events
 * written while it was away.
 */
export type StreamItem = TrackedEnvelope<StreamEvent | EphemeralEvent>;

export type StreamParams = {
  viewer: Viewer;
  /** null: the inbox (every ticket the viewer may see). */
  ticketId: string | null;
  /** The cursor of the last event the client has (`tracked` id), or null for a fresh start. */
  lastEventId: number | null;
  /** Aborted when the client stops the subscription or the socket closes. */
  signal: AbortSignal;
  /** The connection, over WebSocket: for backpressure and the per-socket cap. */
  socket: SocketHandle | null;
};

export type StreamLimits = {
  /** Live items a subscriber may have waiting before it falls back to the log. */
  queueLimit: number;
  /** A client further behind than this many visible events is told to resync. */
  maxReplay: number;
  /** Rows per replay query. */
  replayBatch: number;
  /** Bytes a socket may have unsent before its client counts as not reading. */
  maxBufferedBytes: number;
};

/** What every stream of a hub shares (built once per hub, not per subscription). */
export type StreamDeps = {
  db: Db;
  /** Reports what a stream skips or survives (a malformed event row). */
  onError: (message: string, error: unknown) => void;
  fanOut: FanOut;
  limits: StreamLimits;
  /** Resolves once the hub knows its cursor (the first subscription starts it). */
  ready: () => Promise<void>;
  /** A subscriber was added (presence join, initial signals) or re-synced after an overflow. */
  opened: (sub: Subscriber) => void;
  resynced: (sub: Subscriber) => void;
  closed: (sub: Subscriber) => void;
  /** The stream ended, however it ended (the per-socket count is released here). */
  finished: (params: StreamParams) => void;
  overflowed: () => void;
  tooSlow: () => void;
  /** Catching up failed on a database error; the socket was closed for a retry. */
  failed: (error: unknown) => void;
};

/** An item for tRPC, at the subscriber's cursor (see `Subscriber.viaTrpc`). */
const event = (sub: Subscriber, data: StreamEvent | EphemeralEvent): StreamItem =>
  tracked(String(sub.cursor), sub.viaTrpc(data));

/** Which part of the log a stream covers. */
type ReplayScope = { viewer: Viewer; ticketId: string | null };

/** The audience rule of `mayReceive`, as a range of the log for the database to filter. */
const rangeFor = (scope: ReplayScope, after: number, upTo: number): VisibleRange => ({
  after,
  upTo,
  ticketId: scope.ticketId,
  customerId: isAgent(scope.viewer) ? null : scope.viewer.id,
});

/**
 * Whether more than `maxReplay` events the viewer may see lie in (cursor, target].
 * Ids are dense (gaps only from rollbacks), so a short range needs no query. A
 * customer's inbox has no index of its own: a range that long is not scanned at all.
 */
async function tooFarBehind(
  db: Db,
  scope: ReplayScope,
  cursor: number,
  target: number,
  maxReplay: number,
) {
  const span = target - cursor;
  if (span <= maxReplay) return false;
  if (scope.ticketId === null && !isAgent(scope.viewer) && span > maxReplay * 20) return true;
  const range = rangeFor(scope, cursor, target);
  return (await countVisibleEvents(db, { range, cap: maxReplay + 1 })) > maxReplay;
}

/**
 * One subscription: registers with the live fan-out first, replays from the log what
 * the client missed up to the point where live delivery took over, then relays live
 * items, skipping anything at or below the cursor already sent (the hub of another
 * process may have been ahead). Every event passes the audience rule, on both paths.
 */
export async function* streamEvents(
  deps: StreamDeps,
  params: StreamParams,
): AsyncGenerator<StreamItem, void> {
  const { db, fanOut, limits } = deps;
  const { viewer, ticketId, socket, signal } = params;
  const scope = { viewer, ticketId };
  let sub: Subscriber | null = null;
  const close = () => sub?.close();

  /** The client stopped reading: drop it rather than buffer without bound. */
  const tooSlow = () => {
    if (!socket || socket.bufferedAmount <= limits.maxBufferedBytes) return false;
    deps.tooSlow();
    socket.close(closeCodes.resumeLater, 'Not reading: reconnect with lastEventId');
    return true;
  };

  try {
    await deps.ready();
    if (signal.aborted) return;
    sub = new Subscriber(
      viewer,
      ticketId === null ? { kind: 'inbox' } : { kind: 'ticket', ticketId },
      limits.queueLimit,
      deps.overflowed,
      socket,
      limits.maxBufferedBytes,
    );
    fanOut.add(sub);
    // Everything after `target` reaches the queue; everything up to it comes from the log.
    let target = fanOut.head;
    signal.addEventListener('abort', close, { once: true });
    deps.opened(sub);

    // The cursor lives on the subscriber: live events may be written straight to the
    // socket while this generator waits (`Subscriber.push`), and they move it too.
    if (params.lastEventId === null) {
      sub.cursor = target;
      yield event(sub, { id: String(target), type: 'ready' });
    } else if (params.lastEventId > target && params.lastEventId > (await latestEventId(db))) {
      sub.cursor = target;
      yield event(sub, { id: String(target), type: 'resync', reason: 'unknown-cursor' });
    } else {
      sub.cursor = params.lastEventId;
    }

    for (;;) {
      if (sub.cursor < target) {
        if (await tooFarBehind(db, scope, sub.cursor, target, limits.maxReplay)) {
          sub.cursor = target;
          yield event(sub, { id: String(target), type: 'resync', reason: 'too-far-behind' });
        }
        while (sub.cursor < target && !sub.isClosed) {
          const rows = await readVisibleEvents(db, {
            range: rangeFor(scope, sub.cursor, target),
            limit: limits.replayBatch,
          });
          for (const row of rows) {
            const logged = parseLoggedEvent(row, deps.onError);
            // A skipped row moves the cursor too: a full batch of them must not stall replay.
            if (!logged) sub.cursor = row.id;
            if (!logged || !mayReceive(viewer, logged)) continue;
            if (tooSlow()) return;
            sub.cursor = logged.cursor;
            yield event(sub, logged.event);
          }
          if (rows.length < limits.replayBatch) sub.cursor = target;
        }
      }

      const pull = await sub.next();
      switch (pull.kind) {
        case 'closed':
          return;
        case 'lost':
          // Live items were dropped: take the log from the cursor up to the hub's head again.
          sub.recover();
          target = fanOut.head;
          deps.resynced(sub);
          break;
        case 'signal':
          if (tooSlow()) return;
          yield event(sub, pull.event);
          break;
        case 'event':
          if (pull.logged.cursor <= sub.cursor) break;
          if (tooSlow()) return;
          sub.cursor = pull.logged.cursor;
          yield event(sub, pull.logged.event);
          break;
      }
    }
  } catch (error) {
    // The database failed us (starting and catching up need it). Over a socket the
    // client reconnects and resumes from its cursor instead of losing the subscription.
    if (!socket || error instanceof AppError) throw error;
    deps.failed(error);
    socket.close(closeCodes.resumeLater, 'Temporarily unavailable: reconnect with lastEventId');
  } finally {
    signal.removeEventListener('abort', close);
    if (sub) {
      fanOut.remove(sub);
      sub.close();
      deps.closed(sub);
    }
    deps.finished(params);
  }
}
