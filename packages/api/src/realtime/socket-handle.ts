/** The minimal view of a WebSocket the API needs (backpressure and closing). */
export type SocketHandle = {
  readonly bufferedAmount: number;
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
