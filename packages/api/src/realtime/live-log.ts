import type { Db } from '@parley/db';
import { parseLoggedEvent } from './events';
import type { FanOut } from './fan-out';
import { LogReader } from './log-reader';
import type { HubTuning } from './tuning';

export type LiveLog = ReturnType<typeof createLiveLog>;

/**
 * The live path from the event log to the fan-out: the process's `LogReader`, woken by
 * NOTIFY, by the LISTEN connection coming back and by the safety poll.
 *
 * Session ends reach the hub by NOTIFY on the same LISTEN connection, in commit order
 * with the events' wake-ups, so an event read because of its wake-up comes after every
 * session end committed before it. Events read any other way (the safety poll, the
 * catch-up after a LISTEN outage) may be newer than a session end that was never heard
 * of: after such a read, the open sockets' sessions are re-checked in the database
 * before the events are delivered. Wake-ups count as trusted again only once a re-check
 * started after the LISTEN connection came back has finished.
 */
export function createLiveLog(options: {
  /** The live pool: delivery must not queue behind request traffic. */
  db: Db;
  tuning: Pick<HubTuning, 'pollMs' | 'readBatch'>;
  fanOut: FanOut;
  /** Closes the sockets whose sessions ended; resolves once a check started after the call is done. */
  recheckSessions: () => Promise<void>;
  onError: (message: string, error: unknown) => void;
}) {
  const { fanOut, tuning } = options;
  let listening = false;
  /** Whether NOTIFY alone is known to tell of every session end. */
  let trusted = false;
  let generation = 0;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let started: Promise<void> | null = null;

  const reader = new LogReader({
    db: options.db,
    batchSize: tuning.readBatch,
    verify: options.recheckSessions,
    onRows: (rows) => {
      const batch = [];
      for (const row of rows) {
        const logged = parseLoggedEvent(row, options.onError);
        if (logged) batch.push(logged);
      }
      fanOut.dispatch(batch);
    },
    onError: (error) => options.onError('reading the event log failed', error),
  });

  const recheck = () => {
    const at = generation;
    return options.recheckSessions().then(
      () => {
        if (listening && at === generation) trusted = true;
      },
      (error: unknown) => options.onError('re-validating sessions failed', error),
    );
  };

  const tick = () => {
    // While session ends may go unheard, sockets are re-checked even when nothing is written.
    if (!trusted) void recheck();
    void reader.poke(true);
  };

  // The poll starts with the first subscription, so an unused hub (router tests) costs nothing.
  const ready = () => {
    started ??= reader.start().then(
      (cursor) => {
        if (cursor > fanOut.head) fanOut.head = cursor;
        if (closed) return;
        timer = setInterval(tick, tuning.pollMs);
        timer.unref();
      },
      (error: unknown) => {
        started = null;
        throw error;
      },
    );
    return started;
  };

  return {
    /** Resolves once the reader knows its cursor (the live path is running). */
    ready,
    get listening() {
      return listening;
    },
    /** A NOTIFY on the events channel. */
    wake(): void {
      if (started) void reader.poke(!trusted);
    },
    /**
     * The LISTEN connection is up or down. Coming back, sessions are re-checked and the
     * log read (what was committed meanwhile is delivered only after the re-check).
     */
    setListening(up: boolean): void {
      listening = up;
      trusted = false;
      generation++;
      if (!up) return;
      void recheck();
      if (started) void reader.poke(true);
    },
    /** Reads the log now; resolves when what was committed before the call is dispatched. */
    async poll(): Promise<void> {
      await ready();
      await reader.poke(true);
    },
    close(): void {
      closed = true;
      if (timer) clearInterval(timer);
    },
  };
}
