import type { Message } from '../../api/types';
import { dayKey, dayLabel } from '../../lib/time';
import type { PendingMessage } from './thread-state';

/**
 * One row of the thread. `day` is set on the first row of each calendar day (its
 * header). Headers ride on rows rather than being rows of their own, so every row key
 * is a message: when older messages load above, the row in view keeps its key and the
 * list can hold it in place.
 */
export type ThreadRow =
  | {
      kind: 'message';
      key: string;
      message: Message;
      continued: boolean;
      seen: boolean;
      day: string | null;
    }
  /** A run of system lines ("Status changed…", "Dana joined…"), shown folded. */
  | { kind: 'events'; key: string; messages: Message[]; day: string | null }
  | { kind: 'pending'; key: string; pending: PendingMessage; day: string | null };

const groupWindowMs = 5 * 60_000;
/** This many system lines in a row, or more, fold into one row. */
export const foldFrom = 3;

const isSystem = (message: Message) => message.author.role === 'system';

/**
 * Flattens a thread into the rows the virtual list renders: messages (with a day header
 * whenever the day changes, and marked `continued` when the same person wrote the
 * previous one moments before, so the name is not repeated), then the messages still
 * on their way. Runs of `foldFrom` or more system lines on one day fold into one
 * `events` row, keyed by its last line so it keeps its key when older lines load above.
 * `seenSeq` puts "Seen" under the viewer's last message the other side has read.
 */
export function buildRows(
  messages: readonly Message[],
  pending: readonly PendingMessage[],
  options: { viewerId: string; seenSeq: number; now?: number },
): ThreadRow[] {
  const rows: ThreadRow[] = [];
  let lastDay = '';
  let previous: Message | undefined;
  let lastSeenIndex = -1;

  for (const message of messages) {
    const day = dayKey(message.createdAt);
    const newDay = day !== lastDay;
    if (newDay) {
      lastDay = day;
      previous = undefined;
    }
    const continued =
      previous !== undefined &&
      !isSystem(message) &&
      !isSystem(previous) &&
      previous.author.id === message.author.id &&
      previous.internal === message.internal &&
      new Date(message.createdAt).getTime() - new Date(previous.createdAt).getTime() <
        groupWindowMs;
    const header = newDay ? dayLabel(message.createdAt, options.now) : null;
    rows.push({ kind: 'message', key: message.id, message, continued, seen: false, day: header });
    const own = message.author.id === options.viewerId && message.author.role !== 'system';
    if (own && message.seq <= options.seenSeq) lastSeenIndex = rows.length - 1;
    previous = message;
  }

  const seenRow = rows[lastSeenIndex];
  if (seenRow?.kind === 'message') rows[lastSeenIndex] = { ...seenRow, seen: true };
  const folded = foldEvents(rows);

  const today = dayKey(new Date(options.now ?? Date.now()).toISOString());
  for (const [i, item] of pending.entries()) {
    const day = i === 0 && today !== lastDay ? 'Today' : null;
    folded.push({ kind: 'pending', key: `pending-${item.clientId}`, pending: item, day });
  }
  return folded;
}

/** Replaces each run of `foldFrom` or more system rows (none but the first with a day header) by one row. */
function foldEvents(rows: ThreadRow[]): ThreadRow[] {
  const result: ThreadRow[] = [];
  let run: Extract<ThreadRow, { kind: 'message' }>[] = [];
  const flush = () => {
    const first = run[0];
    const last = run.at(-1);
    if (first && last && run.length >= foldFrom) {
      result.push({
        kind: 'events',
        key: last.key,
        messages: run.map((row) => row.message),
        day: first.day,
      });
    } else {
      result.push(...run);
    }
    run = [];
  };
  for (const row of rows) {
    if (row.kind === 'message' && isSystem(row.message)) {
      if (row.day) flush();
      run.push(row);
    } else {
      flush();
      result.push(row);
    }
  }
  flush();
  return result;
}
