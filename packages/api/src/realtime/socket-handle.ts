/** The minimal view of a WebSocket the API needs (backpressure, batching writes, closing). */
export type SocketHandle = {
  readonly bufferedAmount: number;
  /**
   * Frames written from now to the end of this turn of the event loop leave together,
   * in one write to the kernel: a subscriber handed several events at once (a status
   * change logs two) costs one system call, not one per frame.
   */
  holdWrites(): void;
  /** Writes one text frame (a live event beside tRPC's pipeline: `direct-frames.ts`). */
  send(frame: string): void;
  close(code?: number, reason?: string): void;
};

/** WebSocket close codes the hub uses (4000–4999 are the application's). */
export const closeCodes = {
  /** Signed out, signed out everywhere, disabled, role changed, or expired. */
  sessionEnded: 4401,
  /**
   * Try again later: the client stopped reading, or the database was unreachable
   * while it caught up. It reconnects and resumes from `lastEventId`.
   */
  resumeLater: 1013,
} as const;
