import type { IncomingMessage } from 'node:http';

/**
 * The rest of a refused request body (an upload, a provider webhook) is read and discarded (never kept), so a client that reads
 * the answer only once it has sent the body (fetch) sees the 413: for as long as the
 * client keeps sending, up to a minute in all; one silent for 5 s is cut off.
 */
const discardStallMs = 5_000;
const discardMaxMs = 60_000;

export function discardBody(req: IncomingMessage): void {
  const cutOff = () => req.socket.destroy();
  let stalled = setTimeout(cutOff, discardStallMs);
  const limit = setTimeout(cutOff, discardMaxMs);
  stalled.unref();
  limit.unref();
  req.on('data', () => {
    clearTimeout(stalled);
    stalled = setTimeout(cutOff, discardStallMs);
    stalled.unref();
  });
  req.once('close', () => {
    clearTimeout(stalled);
    clearTimeout(limit);
  });
  req.resume();
}
