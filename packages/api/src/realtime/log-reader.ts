import { latestEventId, readEventsAfter, type Db, type EventRow } from '@parley/db';

export type LogReaderOptions = {
  db: Db;
  /** Rows per query while catching up. */
  batchSize: number;
  /**
   * Runs after a read that found rows and before they are handed on, for pokes that
   * ask for it (see `poke`). If it fails, the rows are not handed on and the cursor
   * stays: the next poke reads them again.
   */
  verify: () => Promise<void>;
  /** Called with each batch, in cursor order, synchronously (no event is read twice). */
  onRows: (rows: EventRow[]) => void;
  onError: (error: unknown) => void;
};

/**
 * The process's one reader of the event log. It holds a commit-ordered cursor and,
 * whenever poked (a NOTIFY wake-up, the LISTEN connection coming back, the safety
 * poll), reads forward from it in batches until it reaches the end. Pokes that
 * arrive while it reads fold into one more pass, so a burst of NOTIFYs costs a few
 * queries, not one per notification.
 */
export class LogReader {
  private cursor: number | null = null;
  private starting: Promise<number> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private verifyNext = false;

  constructor(private readonly options: LogReaderOptions) {}

  /**
   * Starts at the current end of the log (history is read by subscribers that ask for
   * it). Concurrent calls share one query: two would race to set the cursor.
   */
  start(): Promise<number> {
    if (this.cursor !== null) return Promise.resolve(this.cursor);
    this.starting ??= latestEventId(this.options.db).then(
      (latest) => (this.cursor ??= latest),
      (error: unknown) => {
        this.starting = null;
        throw error;
      },
    );
    return this.starting;
  }

  /**
   * Reads whatever is new; resolves when this pass (and any it absorbed) is done.
   * `verify`: run the `verify` hook before handing on what this pass reads.
   */
  poke(verify = false): Promise<void> {
    this.verifyNext ||= verify;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const verify = this.verifyNext;
      this.verifyNext = false;
      try {
        let from = await this.start();
        let rows: EventRow[];
        do {
          rows = await readEventsAfter(this.options.db, {
            afterId: from,
            limit: this.options.batchSize,
          });
          const last = rows.at(-1);
          if (!last) break;
          if (verify) await this.options.verify();
          this.cursor = from = last.id;
          this.options.onRows(rows);
        } while (rows.length === this.options.batchSize);
      } catch (error) {
        // The database is away: the next poke (reconnect, poll) picks up from the cursor.
        this.verifyNext ||= verify;
        this.options.onError(error);
        return;
      }
    } while (this.again);
  }
}
