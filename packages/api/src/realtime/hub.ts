import type { Viewer } from './events';
import type { TrackedSocket } from './session-sockets';
import type { StreamItem, StreamParams } from './stream';

export type { SocketHandle } from './socket-handle';
export type { TrackedSocket } from './session-sockets';
export type { StreamItem } from './stream';

/** What a subscription procedure passes to the hub. */
export type SubscribeParams = Omit<StreamParams, 'ticketId'>;

/** Counters for tests, health checks and benchmarks. */
export type HubStats = {
  /** Open subscriptions in this process. */
  subscribers: number;
  /** Signed-in sockets tracked for closing. */
  sockets: number;
  /** Live items waiting in subscriber queues (each queue is bounded). */
  queued: number;
  /** Cursor of the last event dispatched. */
  head: number;
  /** Whether the LISTEN connection is up (always false for a hub without one). */
  listening: boolean;
  /** Subscribers whose queue overflowed and who re-read the log. */
  overflows: number;
  /** Sockets closed because their client stopped reading. */
  slowConsumersDropped: number;
  /** Live events written straight to a socket, beside tRPC's pipeline (`direct-frames.ts`). */
  sentStraight: number;
};

/**
 * What routers and the WebSocket server need from the process's realtime hub.
 * The server wires the real one (a LISTEN connection feeding `createHub`'s fan-out);
 * tests may create one with `createHub` and drive it directly.
 */
export type Hub = {
  /** This process's hub id (random per start): tells processes apart in signals. */
  readonly id: string;
  /** Events of one ticket (caller already authorized), plus typing and presence. */
  ticketStream(params: SubscribeParams & { ticketId: string }): AsyncGenerator<StreamItem, void>;
  /** Events of every ticket the viewer may see. */
  inboxStream(params: SubscribeParams): AsyncGenerator<StreamItem, void>;
  /** Shows (or hides) a typing indicator to the ticket's other viewers, on every process. */
  typing(params: { viewer: Viewer; ticketId: string; typing: boolean; internal: boolean }): void;
  /** Registers a signed-in socket to close when its session ends; returns the unregister function. */
  trackSocket(socket: TrackedSocket): () => void;
  /** Whether an agent or admin has a signed-in socket on this process. */
  staffConnected(): boolean;
  stats(): HubStats;
  /** Stops the hub: ends every subscription, tells other processes its viewers left. */
  close(): Promise<void>;
};
