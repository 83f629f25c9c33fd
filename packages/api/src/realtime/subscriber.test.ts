import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from './events';
import { Subscriber, type LiveItem } from './subscriber';

const viewer = { id: 'u1', name: 'Una', role: 'agent' } as const;
const item = (cursor: number): LiveItem => ({
  kind: 'event',
  logged: {
    cursor,
    customerId: 'c1',
    audience: 'all',
    event: { id: String(cursor), ticketId: 't1', type: 'ticket.rated', at: '', data: { score: 5 } },
  } satisfies LoggedEvent,
});

describe('Subscriber', () => {
  it('hands out items in order and waits for the next one', async () => {
    const sub = new Subscriber(viewer, { kind: 'inbox' }, 10);
    sub.push(item(1));
    sub.push(item(2));
    expect(await sub.next()).toEqual(item(1));
    expect(await sub.next()).toEqual(item(2));
    const waiting = sub.next();
    sub.push(item(3));
    expect(await waiting).toEqual(item(3));
  });

  it('never holds more than its limit: an overflow empties it and asks for a catch-up', async () => {
    let overflows = 0;
    const sub = new Subscriber(viewer, { kind: 'inbox' }, 3, () => overflows++);
    for (let i = 1; i <= 100; i++) {
      sub.push(item(i));
      expect(sub.size).toBeLessThanOrEqual(3);
    }
    expect(overflows).toBe(1);
    expect(await sub.next()).toEqual({ kind: 'lost' });
    sub.recover();
    sub.push(item(101));
    expect(await sub.next()).toEqual(item(101));
  });

  it('wakes a waiting consumer when closed, and ignores pushes afterwards', async () => {
    const sub = new Subscriber(viewer, { kind: 'inbox' }, 3);
    const waiting = sub.next();
    sub.close();
    expect(await waiting).toEqual({ kind: 'closed' });
    sub.push(item(1));
    expect(sub.size).toBe(0);
  });
});
