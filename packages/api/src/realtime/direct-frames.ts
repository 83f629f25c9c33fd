import type { LoggedEvent } from './events';

/**
 * Live events written straight to a subscriber's socket, beside tRPC's subscription
 * pipeline (docs/message-path.md, "From the log to the socket"). Each frame is the one
 * tRPC writes for `tracked(cursor, event)` — so `@trpc/client` and the web app see no
 * difference — but the event's JSON is built once for all its subscribers, and no
 * promise, envelope or copy is made per subscriber. It relies on tRPC sending data as
 * plain JSON (the router has no transformer).
 */

/** The JSON of each event, shared by its subscribers while the batch is handed out. */
const eventJson = new WeakMap<LoggedEvent, string>();

/** The frame for `logged` on the subscription whose frames start with `prefix`. */
export function dataFrame(prefix: string, logged: LoggedEvent): string {
  let json = eventJson.get(logged);
  if (json === undefined) {
    json = JSON.stringify(logged.event);
    eventJson.set(logged, json);
  }
  const id = `"${logged.cursor}"`;
  return `${prefix},"result":{"type":"data","data":{"id":${id},"data":${json}},"id":${id}}}`;
}

const reportsPrefix = Symbol('parley.reportsPrefix');

type Reporting = { [reportsPrefix]?: (prefix: string) => void };

/**
 * A copy of `data` that, when tRPC sends it, reports the start of its subscription's
 * frames (`{"id":…` and the `jsonrpc` the client asked for): a subscription's id is
 * known only to tRPC's connection handler. JSON leaves the symbol out.
 */
export function reportingPrefix<T extends object>(data: T, report: (prefix: string) => void): T {
  return { ...data, [reportsPrefix]: report };
}

/**
 * Called with every message tRPC sends over a WebSocket (the server's encoder), before
 * it is written: a data item made by `reportingPrefix` reports its frame prefix.
 */
export function notePrefix(message: unknown): void {
  const { id, jsonrpc, result } = message as {
    id?: unknown;
    jsonrpc?: unknown;
    result?: { type?: unknown; data?: { data?: Reporting } };
  };
  const report = result?.type === 'data' ? result.data?.data?.[reportsPrefix] : undefined;
  if (typeof report === 'function') report(JSON.stringify({ id, jsonrpc }).slice(0, -1));
}
