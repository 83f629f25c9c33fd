import { nowMs, sleep } from './clock';

export type OpenLoopOptions = {
  /** Arrivals per second. */
  rate: number;
  durationMs: number;
  /** Called once per arrival, with the time it was due; must not await the work. */
  fire: (intendedAt: number, index: number) => void;
  /** Optional start time (a shared clock value) so several processes start together. */
  startAt?: number;
};

/**
 * Open-loop load: arrivals at a constant rate whatever the system under test does.
 * Each arrival carries its intended time, and latency is measured from that time, not
 * from when the call actually left: a stall then counts against every request it
 * delayed (coordinated omission corrected), instead of silently lowering the rate.
 * Returns how late the scheduler itself ran at worst (its own jitter, in ms).
 */
export async function runOpenLoop(
  options: OpenLoopOptions,
): Promise<{ fired: number; maxLagMs: number }> {
  const start = options.startAt ?? nowMs();
  const interval = 1000 / options.rate;
  const total = Math.floor((options.durationMs / 1000) * options.rate);
  let fired = 0;
  let maxLagMs = 0;
  while (nowMs() < start) await sleep(Math.max(0, Math.min(5, start - nowMs())));
  while (fired < total) {
    const now = nowMs();
    // Fire everything that is due, each with its own intended time.
    while (fired < total && start + fired * interval <= now) {
      const intendedAt = start + fired * interval;
      maxLagMs = Math.max(maxLagMs, now - intendedAt);
      options.fire(intendedAt, fired);
      fired++;
    }
    if (fired < total) {
      const wait = start + fired * interval - nowMs();
      // Timers tick in whole milliseconds: an arrival may leave up to ~1 ms late, and that
      // lateness is part of its measured latency (the floors pay it too). Spinning instead
      // would burn a core the server needs.
      await sleep(Math.max(1, Math.floor(wait)));
    }
  }
  return { fired, maxLagMs: Math.round(maxLagMs * 100) / 100 };
}
