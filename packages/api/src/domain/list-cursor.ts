import { priorities, ticketSorts, type ListPosition, type TicketSort } from '@parley/db';
import { z } from 'zod';
import { AppError } from '../errors';

/**
 * The `tickets.list` cursor: opaque to clients, base64url of the last row's sort key,
 * its id and the event-log snapshot of page one. Decoding validates every part, so a
 * tampered cursor is a BAD_REQUEST, never a database error.
 */
const cursorShape = z.strictObject({
  s: z.enum(ticketSorts),
  k: z.array(z.string().max(40)).min(1).max(2),
  i: z.uuid(),
  e: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export function encodeCursor(position: ListPosition): string {
  const shape: z.infer<typeof cursorShape> = {
    s: position.sort,
    k: position.key,
    i: position.id,
    e: position.snapshot,
  };
  return Buffer.from(JSON.stringify(shape)).toString('base64url');
}

const invalid = () =>
  new AppError('BAD_REQUEST', 'Invalid cursor: start again from the first page', {
    fieldErrors: { cursor: ['Invalid cursor'] },
  });

export function decodeCursor(cursor: string, sort: TicketSort): ListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = cursorShape.safeParse(parsed);
  if (!result.success || result.data.s !== sort) throw invalid();
  const { k, i, e } = result.data;
  const valid =
    sort === 'priority_desc'
      ? k.length === 2 && (priorities as readonly string[]).includes(k[0] ?? '') && isKeyTime(k[1])
      : k.length === 1 && isKeyTime(k[0]);
  if (!valid) throw invalid();
  return { sort, key: k, id: i, snapshot: e };
}

/** Exactly the form the list query writes: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, a real instant. */
function isKeyTime(value: string | undefined): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/.exec(value ?? '');
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}
