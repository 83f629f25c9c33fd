/**
 * How the delivery engine runs (env PARLEY_NOTIFY_DELAY_SECONDS, …; README). Where mail
 * goes (SMTP server, From, support address) is the email channel's: `Channels.settings.email`,
 * which admins can change while the server runs.
 */
export type NotifySettings = {
  /** Where links in emails point (ticket pages, unsubscribe). No trailing slash. */
  publicUrl: string;
  /** How long an agent's public reply waits for the customer to read it live. */
  replyDelaySeconds: number;
  /** Send jobs run at once per process. */
  concurrency: number;
  /** The safety poll of the pump and the job queue, in milliseconds. */
  pollMs: number;
  /**
   * A job locked this long by a process that is gone (killed mid-send) is run again. Longer
   * than any send may take (SMTP timeouts: 2 minutes at most).
   */
  staleJobSeconds: number;
  /** The webhook retry schedule's unit (5 s: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h). */
  webhookRetryBaseSeconds: number;
  /** Deliveries in a row that fail for good before an endpoint is switched off. */
  webhookDisableAfter: number;
  /** Bounds of one webhook request. */
  webhookLimits: { connectTimeoutMs: number; responseTimeoutMs: number; maxResponseBytes: number };
};

/** Settings from the environment; `publicUrl` falls back to the server's own address. */
export function notifySettingsFromEnv(
  fallbackPublicUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): NotifySettings {
  const delay = env.PARLEY_NOTIFY_DELAY_SECONDS;
  const replyDelaySeconds = delay === undefined || delay === '' ? 120 : Number(delay);
  if (!Number.isFinite(replyDelaySeconds) || replyDelaySeconds < 0) {
    throw new Error(`PARLEY_NOTIFY_DELAY_SECONDS must be a number of seconds ≥ 0, not "${delay}"`);
  }
  const retryBase = env.PARLEY_WEBHOOK_RETRY_BASE_SECONDS;
  const webhookRetryBaseSeconds =
    retryBase === undefined || retryBase === '' ? 5 : Number(retryBase);
  if (!Number.isFinite(webhookRetryBaseSeconds) || webhookRetryBaseSeconds < 0) {
    throw new Error(
      `PARLEY_WEBHOOK_RETRY_BASE_SECONDS must be a number of seconds ≥ 0, not "${retryBase}"`,
    );
  }
  return {
    publicUrl: (env.PARLEY_PUBLIC_URL || fallbackPublicUrl).replace(/\/+$/, ''),
    replyDelaySeconds,
    concurrency: 2,
    pollMs: 1000,
    staleJobSeconds: 300,
    webhookRetryBaseSeconds,
    webhookDisableAfter: 10,
    webhookLimits: { connectTimeoutMs: 5_000, responseTimeoutMs: 15_000, maxResponseBytes: 4096 },
  };
}
