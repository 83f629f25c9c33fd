/**
 * What routers need from the process's realtime hub. The server wires the real
 * one (a LISTEN connection and in-memory fan-out); tests may drive it directly.
 * The realtime issue fills this in.
 */
export type Hub = {
  /** Stops the hub: closes its LISTEN connection and ends every subscription. */
  close(): Promise<void>;
};
