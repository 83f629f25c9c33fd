/**
 * When each attempt of a delivery goes, as multiples of the base (5 s by default):
 * at once, then after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h (Standard Webhooks'
 * usual schedule, ~17.6 h in all). After the last one the delivery has failed.
 */
const steps = [0, 1, 60, 360, 1440, 3600, 7200];

/** Attempts a delivery gets before it is marked failed. */
export const webhookAttempts = steps.length;

/** The wait before attempt `index` (0-based), or null when there is no such attempt. */
export function retryDelaySeconds(index: number, baseSeconds: number): number | null {
  const step = steps[index];
  return step === undefined ? null : step * baseSeconds;
}
