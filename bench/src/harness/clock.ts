/**
 * Milliseconds on CLOCK_MONOTONIC (what `process.hrtime` reads). On Linux that clock is
 * one for the whole machine, so a time taken in one process can be compared with a
 * time taken in another: a broadcast started in the parent and received in a worker
 * needs no clock synchronisation.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `done` until it is true or `timeoutMs` passes; returns whether it became true. */
export async function waitUntil(
  done: () => boolean,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const deadline = nowMs() + timeoutMs;
  while (!done()) {
    if (nowMs() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
