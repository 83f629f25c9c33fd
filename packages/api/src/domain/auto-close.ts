import { systemAuthorName, systemText } from '@parley/contract';
import {
  databaseNow,
  lockStaleResolvedTickets,
  transactionWritingAtCommit,
  type Db,
} from '@parley/db';
import { autoCloseCutoff, moveTo } from './lifecycle';
import { systemEntry, writeThreadChange } from './thread';

export type AutoCloseOptions = {
  /** Days a ticket stays resolved without a customer reply before it closes. */
  afterDays: number;
  /** The clock; tests pass a later one instead of waiting a week. */
  now?: Date;
  /** Tickets closed per transaction. */
  batchSize?: number;
};

/**
 * Closes every ticket resolved more than `afterDays` ago, each with its "Status changed
 * to Closed by Parley" system message and events, like a close by hand. Tickets are locked with
 * SKIP LOCKED, so several server processes may run this at once: each ticket is closed
 * by exactly one of them, and a ticket a customer is replying to right now is left
 * alone (the reply reopens it). Returns how many tickets were closed.
 */
export async function closeStaleResolvedTickets(
  db: Db,
  options: AutoCloseOptions,
): Promise<number> {
  const cutoff = autoCloseCutoff(options.now ?? new Date(), options.afterDays);
  const batchSize = options.batchSize ?? 100;
  let closed = 0;
  for (;;) {
    const count = await transactionWritingAtCommit(db, async (tx, atCommit) => {
      const stale = await lockStaleResolvedTickets(tx, { cutoff, limit: batchSize });
      const at = options.now ?? (await databaseNow(tx));
      for (const ticket of stale) {
        writeThreadChange(tx, atCommit, {
          locked: { ticket, now: at },
          entries: [systemEntry(null, systemText.status('closed', systemAuthorName))],
          fields: moveTo(ticket, 'closed', at),
        });
      }
      return stale.length;
    });
    closed += count;
    if (count < batchSize) return closed;
  }
}
