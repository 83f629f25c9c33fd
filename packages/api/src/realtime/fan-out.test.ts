import { describe, expect, it } from 'vitest';
import type { LoggedEvent, Viewer } from './events';
import { FanOut } from './fan-out';
import { Subscriber, type SubscriberScope } from './subscriber';

const agent: Viewer = { id: 'agent', name: 'Agent', role: 'agent' };
const alice: Viewer = { id: 'alice', name: 'Alice', role: 'customer' };
const bob: Viewer = { id: 'bob', name: 'Bob', role: 'customer' };

let cursor = 0;
function logged(ticketId: string, customerId: string, audience: 'all' | 'agents'): LoggedEvent {
  cursor++;
  return {
    cursor,
    customerId,
    audience,
    event: { id: String(cursor), ticketId, type: 'ticket.rated', at: '', data: { score: 5 } },
  };
}

async function drain(sub: Subscriber): Promise<string[]> {
  const ids: string[] = [];
  while (sub.size > 0) {
    const pull = await sub.next();
    if (pull.kind === 'event') ids.push(pull.logged.event.ticketId + ':' + pull.logged.audience);
  }
  return ids;
}

describe('FanOut', () => {
  it('routes by ticket and inbox and applies the audience rule to every subscriber', async () => {
    const fanOut = new FanOut();
    const sub = (viewer: Viewer, scope: SubscriberScope) => {
      const s = new Subscriber(viewer, scope, 100);
      fanOut.add(s);
      return s;
    };
    const agentTicket = sub(agent, { kind: 'ticket', ticketId: 'A1' });
    const aliceTicket = sub(alice, { kind: 'ticket', ticketId: 'A1' });
    // Bob is not allowed to subscribe to Alice's ticket; were it to happen, he still gets nothing.
    const bobOnAlicesTicket = sub(bob, { kind: 'ticket', ticketId: 'A1' });
    const agentInbox = sub(agent, { kind: 'inbox' });
    const aliceInbox = sub(alice, { kind: 'inbox' });
    const bobInbox = sub(bob, { kind: 'inbox' });

    fanOut.dispatch([logged('A1', 'alice', 'all')]);
    fanOut.dispatch([logged('A1', 'alice', 'agents')]);
    fanOut.dispatch([logged('B1', 'bob', 'all')]);
    fanOut.dispatch([logged('B1', 'bob', 'agents')]);

    expect(await drain(agentTicket)).toEqual(['A1:all', 'A1:agents']);
    expect(await drain(aliceTicket)).toEqual(['A1:all']);
    expect(await drain(bobOnAlicesTicket)).toEqual([]);
    expect(await drain(agentInbox)).toEqual(['A1:all', 'A1:agents', 'B1:all', 'B1:agents']);
    expect(await drain(aliceInbox)).toEqual(['A1:all']);
    expect(await drain(bobInbox)).toEqual(['B1:all']);
  });

  it('advances its head in cursor order and ignores an event it already passed', async () => {
    const fanOut = new FanOut();
    const s = new Subscriber(agent, { kind: 'inbox' }, 100);
    fanOut.add(s);
    const first = logged('T', 'alice', 'all');
    const second = logged('T', 'alice', 'all');
    fanOut.dispatch([first]);
    fanOut.dispatch([second]);
    fanOut.dispatch([first]);
    expect(fanOut.head).toBe(second.cursor);
    expect(s.size).toBe(2);
  });

  it('forgets removed subscribers', () => {
    const fanOut = new FanOut();
    const s = new Subscriber(alice, { kind: 'ticket', ticketId: 'A1' }, 100);
    fanOut.add(s);
    expect(fanOut.size).toBe(1);
    fanOut.remove(s);
    fanOut.remove(s);
    expect(fanOut.size).toBe(0);
    fanOut.dispatch([logged('A1', 'alice', 'all')]);
    expect(s.size).toBe(0);
  });

  it('hands a large fan-out out in chunks, each subscriber its events together and in order', async () => {
    const fanOut = new FanOut(4);
    const subs = Array.from({ length: 5 }, () => {
      const s = new Subscriber(agent, { kind: 'ticket', ticketId: 'A1' }, 100);
      fanOut.add(s);
      return s;
    });
    fanOut.dispatch([logged('A1', 'alice', 'all'), logged('A1', 'alice', 'agents')]);
    fanOut.signal('A1', () => ({
      type: 'typing',
      ticketId: 'A1',
      data: { user: agent, typing: true },
    }));
    // Four pushes at once: both events to the first two subscribers, nothing else yet.
    expect(subs.map((s) => s.size)).toEqual([2, 2, 0, 0, 0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(subs.map((s) => s.size)).toEqual([2, 2, 2, 2, 0]);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    for (const s of subs) {
      const kinds: string[] = [];
      while (s.size > 0) {
        const pull = await s.next();
        kinds.push(pull.kind === 'event' ? pull.logged.audience : pull.kind);
      }
      expect(kinds).toEqual(['all', 'agents', 'signal']);
    }
  });
});
