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
  | { kind: 'pending'; key: string; pending: PendingMessage; day: string | null };

const groupWindowMs = 5 * 60_000;

/**
 * Flattens a thread into the rows the virtual list renders: messages (with a day header
 * whenever the day changes, and marked `continued` when the same person wrote the
 * previous one moments before, so the name is not repeated), then the messages still
 * on their way.
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
      message.author.role !== 'system' &&
      previous.author.role !== 'system' &&
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

  const today = dayKey(new Date(options.now ?? Date.now()).toISOString());
  for (const [i, item] of pending.entries()) {
    const day = i === 0 && today !== lastDay ? 'Today' : null;
    rows.push({ kind: 'pending', key: `pending-${item.clientId}`, pending: item, day });
  }
  return rows;
}
