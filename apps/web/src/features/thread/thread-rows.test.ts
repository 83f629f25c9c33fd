import { describe, expect, it } from 'vitest';
import type { Message } from '../../api/types';
import { buildRows } from './thread-rows';

const at = (day: number, minute: number) => new Date(2026, 0, day, 10, minute).toISOString();

const message = (
  seq: number,
  author: { id: string; role: Message['author']['role'] },
  createdAt: string,
): Message => ({
  id: `m${seq}`,
  ticketId: 't',
  seq,
  author: { id: author.id, name: author.id, role: author.role },
  body: `body ${seq}`,
  internal: false,
  createdAt,
  clientId: null,
  attachments: [],
  metadata: null,
});

const cara = { id: 'cara', role: 'customer' } as const;
const dana = { id: 'dana', role: 'agent' } as const;
const caraSystem = { id: 'cara', role: 'system' } as const;

describe('buildRows', () => {
  it('starts each day with a header and groups quick follow-ups by the same person', () => {
    const rows = buildRows(
      [
        message(1, cara, at(1, 0)),
        message(2, cara, at(1, 1)),
        message(3, dana, at(1, 2)),
        message(4, dana, at(2, 0)),
      ],
      [],
      { viewerId: 'cara', seenSeq: 0, now: new Date(2026, 5, 1).getTime() },
    );
    const shape = rows.map((row) =>
      row.kind === 'message'
        ? `${row.day ? 'day ' : ''}${row.message.seq}${row.continued ? '+' : ''}`
        : row.kind,
    );
    expect(shape).toEqual(['day 1', '2+', '3', 'day 4']);
  });

  it('puts "Seen" under the viewer’s last read message, never under a system event', () => {
    const rows = buildRows(
      [
        message(1, cara, at(1, 0)),
        message(2, cara, at(1, 1)),
        message(3, caraSystem, at(1, 1)),
        message(4, cara, at(1, 2)),
      ],
      [],
      { viewerId: 'cara', seenSeq: 3 },
    );
    const seen = rows.flatMap((row) =>
      row.kind === 'message' && row.seen ? [row.message.seq] : [],
    );
    expect(seen).toEqual([2]);
  });

  it('lists messages still being sent after the confirmed ones', () => {
    const rows = buildRows(
      [message(1, cara, new Date().toISOString())],
      [
        {
          clientId: 'c',
          body: 'hi',
          internal: false,
          createdAt: new Date().toISOString(),
          state: 'sending',
        },
      ],
      { viewerId: 'cara', seenSeq: 0 },
    );
    expect(rows.map((row) => `${row.kind}${row.day ? ` (${row.day})` : ''}`)).toEqual([
      'message (Today)',
      'pending',
    ]);
  });
});

describe('buildRows folding', () => {
  const system = { id: 'dana', role: 'system' } as const;
  const shape = (rows: ReturnType<typeof buildRows>) =>
    rows.map((row) =>
      row.kind === 'events'
        ? `events ${row.messages.map((m) => m.seq).join(',')}`
        : row.kind === 'message'
          ? `${row.message.seq}`
          : row.kind,
    );

  it('folds three or more system lines in a row into one row; one or two stay as they are', () => {
    const rows = buildRows(
      [
        message(1, cara, at(1, 0)),
        message(2, system, at(1, 1)),
        message(3, system, at(1, 1)),
        message(4, dana, at(1, 2)),
        message(5, system, at(1, 3)),
        message(6, system, at(1, 3)),
        message(7, system, at(1, 3)),
        message(8, system, at(1, 4)),
        message(9, cara, at(1, 5)),
        message(10, system, at(1, 6)),
      ],
      [],
      { viewerId: 'cara', seenSeq: 0 },
    );
    expect(shape(rows)).toEqual(['1', '2', '3', '4', 'events 5,6,7,8', '9', '10']);
    // Keyed by its last line, so the row keeps its key when older lines load above it.
    expect(rows[4]?.key).toBe('m8');
  });

  it('does not fold across a day change', () => {
    const rows = buildRows(
      [
        message(1, system, at(1, 0)),
        message(2, system, at(1, 1)),
        message(3, system, at(2, 0)),
        message(4, system, at(2, 1)),
        message(5, system, at(2, 2)),
      ],
      [],
      { viewerId: 'cara', seenSeq: 0, now: new Date(2026, 5, 1).getTime() },
    );
    expect(shape(rows)).toEqual(['1', '2', 'events 3,4,5']);
    expect(rows.map((row) => row.day !== null)).toEqual([true, false, true]);
  });
});
