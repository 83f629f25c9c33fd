import type { StreamLimits } from './stream';

/** The hub's limits and timings (tests shorten them; the defaults suit production). */
export type HubTuning = StreamLimits & {
  /** Safety poll of the log when no wake-up came (a lost NOTIFY, a LISTEN outage). */
  pollMs: number;
  /** Rows per query of the process's log reader. */
  readBatch: number;
  maxSubscriptionsPerSocket: number;
  typingTtlMs: number;
  typingRenewMs: number;
  presenceHeartbeatMs: number;
  presenceTtlMs: number;
};

export const defaultHubTuning: HubTuning = {
  pollMs: 3000,
  readBatch: 500,
  queueLimit: 256,
  maxReplay: 10_000,
  replayBatch: 500,
  maxBufferedBytes: 1024 * 1024,
  maxSubscriptionsPerSocket: 50,
  typingTtlMs: 5000,
  typingRenewMs: 2000,
  presenceHeartbeatMs: 5000,
  presenceTtlMs: 15_000,
};
