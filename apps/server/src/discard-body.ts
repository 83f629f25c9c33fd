import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

export type DiscardLimits = {
  /** A client silent for this long is cut off. */
  stallMs: number;
  /** However it sends, a refused body is read for no longer than this. */
  maxMs: number;
};

const defaultLimits: DiscardLimits = { stallMs: 5_000, maxMs: 60_000 };

/**
 * The rest of a refused request body (an upload, a provider webhook) is read and
 * discarded (never kept), so a client that reads the answer only once it has sent the
 * body (fetch) sees the 413: for as long as the client keeps sending, up to a minute in
 * all; one silent for 5 s is cut off.
 *
 * Silence is judged after the event loop has read what arrived: a timer that runs out
 * while the process was too busy to run its loop (a loaded machine) finds the bytes the
 * client sent meanwhile still unread, and that silence was the server's, not the client's.
 */
export function discardBody(req: IncomingMessage, limits: DiscardLimits = defaultLimits): void {
  let heardAt = performance.now();
  let stalled: NodeJS.Timeout;
  const cutOff = () => req.socket.destroy();
  const watch = (ms: number) => {
    stalled = setTimeout(() => setImmediate(judge), ms).unref();
  };
  // setImmediate runs after the loop's poll phase, which delivered any waiting bytes.
  const judge = () => {
    if (req.socket.destroyed) return;
    const silentMs = performance.now() - heardAt;
    if (silentMs >= limits.stallMs) cutOff();
    else watch(limits.stallMs - silentMs);
  };
  watch(limits.stallMs);
  const limit = setTimeout(cutOff, limits.maxMs).unref();
  req.on('data', () => {
    heardAt = performance.now();
  });
  req.once('close', () => {
    clearTimeout(stalled);
    clearTimeout(limit);
  });
  req.resume();
}
