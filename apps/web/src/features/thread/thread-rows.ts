import type { Message } from '../../api/types';
import { dayKey, dayLabel } from '../../lib/time';
import type { PendingMessage } from './thread-state';

export type ThreadRow =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'message'; key: string; message: Message; continued: boolean; seen: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage };

const groupWindowMs = 5 * 60_000;

/**
 * Flattens a thread into the rows the virtual list renders: a day header whenever the
 * day changes, messages (marked `continued` when the same person wrote the previous
 * one moments before, so the name is not repeated), then the messages still on their way.
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
    if (day !== lastDay) {
      rows.push({ kind: 'day', key: `day-${day}`, label: dayLabel(message.createdAt, options.now) });
      lastDay = day;
      previous = undefined;
    }
    const continued =
      previous !== undefined &&
      message.author.role !== 'system' &&
      previous.author.role !== 'system' &&
      previous.author.id === message.author.id &&
      previous.internal === message.internal &&
      new Date(message.createdAt).getTime() - new Date(previous.createdAt).getTime() < groupWindowMs;
    rows.push({ kind: 'message', key: message.id, message, continued, seen: false });
    const own = message.author.id === options.viewerId && message.author.role !== 'system';
    if (own && message.seq <= options.seenSeq) lastSeenIndex = rows.length - 1;
    previous = message;
  }

  const seenRow = rows[lastSeenIndex];
  if (seenRow?.kind === 'message') rows[lastSeenIndex] = { ...seenRow, seen: true };

  if (pending.length > 0) {
    const today = dayKey(new Date(options.now ?? Date.now()).toISOString());
    if (today !== lastDay) rows.push({ kind: 'day', key: `day-${today}`, label: 'Today' });
    for (const item of pending) rows.push({ kind: 'pending', key: `pending-${item.clientId}`, pending: item });
  }
  return rows;
}
