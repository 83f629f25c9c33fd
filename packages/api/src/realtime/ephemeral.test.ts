import { describe, expect, it } from 'vitest';
import { Ephemeral } from './ephemeral';
import type { EphemeralEvent, Viewer } from './events';
import { FanOut } from './fan-out';
import { chunkEntries, maxSignalBytes, parseSignal, type SignalMessage } from './signals';
import { Subscriber } from './subscriber';

const agent: Viewer = { id: 'agent-1', name: 'Ann Agent', role: 'agent' };
const agent2: Viewer = { id: 'agent-2', name: 'Abe Agent', role: 'agent' };
const customer: Viewer = { id: 'cust-1', name: 'Cy Customer', role: 'customer' };

/** Two processes' worth of ephemeral state, wired to each other through a fake NOTIFY. */
function cluster() {
  let now = 0;
  const published: SignalMessage[] = [];
  const node = (hubId: string) => {
    const fanOut = new FanOut();
    const ephemeral: Ephemeral = new Ephemeral({
      hubId,
      typingTtlMs: 5000,
      typingRenewMs: 2000,
      presenceHeartbeatMs: 5000,
      presenceTtlMs: 15_000,
      now: () => now,
      publish: (message) => {
        published.push(message);
        // Every process receives every signal (its own is ignored), through JSON as on the wire.
        const parsed = parseSignal(JSON.stringify(message));
        if (!parsed) throw new Error('unparseable signal');
        for (const other of nodes) other.ephemeral.receive(parsed);
      },
      emit: (ticketId, build) => fanOut.signal(ticketId, build),
    });
    const watch = (user: Viewer, ticketId: string) => {
      const sub = new Subscriber(user, { kind: 'ticket', ticketId }, 100);
      fanOut.add(sub);
      ephemeral.join(ticketId, user);
      return sub;
    };
    return { ephemeral, fanOut, watch };
  };
  const nodes: Array<ReturnType<typeof node>> = [];
  nodes.push(node('A'), node('B'));
  return {
    a: nodes[0]!,
    b: nodes[1]!,
    published,
    advance(ms: number) {
      now += ms;
      for (const n of nodes) n.ephemeral.tick();
    },
  };
}

async function signals(sub: Subscriber): Promise<EphemeralEvent[]> {
  const out: EphemeralEvent[] = [];
  while (sub.size > 0) {
    const pull = await sub.next();
    if (pull.kind === 'signal') out.push(pull.event);
  }
  return out;
}
const viewerNames = (events: EphemeralEvent[]) =>
  events.flatMap((e) =>
    e.type === 'presence' ? [e.data.viewers.map((v) => v.name).join(',')] : [],
  );
const typingStates = (events: EphemeralEvent[]) =>
  events.flatMap((e) => (e.type === 'typing' ? [`${e.data.user.name}:${e.data.typing}`] : []));

describe('presence', () => {
  it('shows agents to each other across processes, and the customer only agents', async () => {
    const c = cluster();
    const agentOnA = c.a.watch(agent, 'T');
    const customerOnB = c.b.watch(customer, 'T');
    const agent2OnB = c.b.watch(agent2, 'T');
    expect(viewerNames(await signals(agentOnA)).at(-1)).toBe('Abe Agent,Cy Customer');
    expect(viewerNames(await signals(customerOnB)).at(-1)).toBe('Ann Agent,Abe Agent');
    expect(viewerNames(await signals(agent2OnB)).at(-1)).toBe('Ann Agent,Cy Customer');
  });

  it('removes a viewer when their last subscription on a process closes', async () => {
    const c = cluster();
    const customerOnB = c.b.watch(customer, 'T');
    c.a.watch(agent, 'T');
    c.a.watch(agent, 'T'); // a second tab
    await signals(customerOnB);
    c.a.ephemeral.leave('T', agent);
    expect(await signals(customerOnB)).toEqual([]);
    c.a.ephemeral.leave('T', agent);
    expect(viewerNames(await signals(customerOnB))).toEqual(['']);
  });

  it('expires the viewers of a process that went silent, and keeps those that heartbeat', async () => {
    const c = cluster();
    const customerOnB = c.b.watch(customer, 'T');
    c.a.watch(agent, 'T');
    await signals(customerOnB);
    for (let t = 0; t < 60_000; t += 1000) c.advance(1000);
    expect(await signals(customerOnB)).toEqual([]); // A's heartbeats kept the agent present
    // Process A dies: no more heartbeats, no goodbye.
    c.a.ephemeral.tick = () => {};
    for (let t = 0; t < 14_000; t += 1000) c.advance(1000);
    expect(await signals(customerOnB)).toEqual([]);
    c.advance(6000);
    expect(viewerNames(await signals(customerOnB))).toEqual(['']);
  });
});

describe('typing', () => {
  it('reaches the other viewers on another process, not the typist, and expires without renewal', async () => {
    const c = cluster();
    const agentOnA = c.a.watch(agent, 'T');
    const customerOnB = c.b.watch(customer, 'T');
    await signals(agentOnA);
    await signals(customerOnB);
    c.b.ephemeral.typing('T', customer, true, false);
    expect(typingStates(await signals(agentOnA))).toEqual(['Cy Customer:true']);
    expect(typingStates(await signals(customerOnB))).toEqual([]);
    c.advance(4000);
    c.b.ephemeral.typing('T', customer, true, false); // renewed
    c.advance(4000);
    expect(typingStates(await signals(agentOnA))).toEqual([]);
    c.advance(1000);
    expect(typingStates(await signals(agentOnA))).toEqual(['Cy Customer:false']);
  });

  it('publishes a burst of renewals once, and always publishes a stop', async () => {
    const c = cluster();
    for (let i = 0; i < 10; i++) c.a.ephemeral.typing('T', agent, true, false);
    c.a.ephemeral.typing('T', agent, false, false);
    expect(
      c.published.filter((m) => m.k === 'typing').map((m) => m.k === 'typing' && m.on),
    ).toEqual([true, false]);
  });

  it('holds a user who floods typing signals to about one NOTIFY a second', async () => {
    const c = cluster();
    // Across many tickets: on one ticket, typing changes are held to one start a second.
    for (let i = 0; i < 100; i++) {
      c.a.ephemeral.typing(`T${i % 50}`, agent, i % 2 === 0, false);
      c.advance(10);
    }
    const sent = c.published.filter((m) => m.k === 'typing').length;
    expect(sent).toBeGreaterThanOrEqual(10);
    expect(sent).toBeLessThanOrEqual(11);
  });

  it('forwards a flood of toggles on one ticket as one start a second, the latest state winning', async () => {
    const c = cluster();
    const customerOnA = c.a.watch(customer, 'T');
    const customerOnB = c.b.watch(customer, 'T');
    await signals(customerOnA);
    await signals(customerOnB);
    for (let i = 0; i < 900; i++) c.a.ephemeral.typing('T', agent, i % 2 === 0, false);
    // The first start and its stop; the 448 starts after them are held.
    expect(typingStates(await signals(customerOnA))).toEqual(['Ann Agent:true', 'Ann Agent:false']);
    expect(typingStates(await signals(customerOnB))).toEqual(['Ann Agent:true', 'Ann Agent:false']);
    // Ended on a start within the window: it applies when the window is over.
    c.a.ephemeral.typing('T', agent, true, false);
    c.advance(500);
    expect(typingStates(await signals(customerOnB))).toEqual([]);
    c.advance(500);
    expect(typingStates(await signals(customerOnA))).toEqual(['Ann Agent:true']);
    expect(typingStates(await signals(customerOnB))).toEqual(['Ann Agent:true']);
    // A held start that a stop overtook never shows.
    c.a.ephemeral.typing('T', agent, false, false);
    c.a.ephemeral.typing('T', agent, true, false);
    c.a.ephemeral.typing('T', agent, false, false);
    c.advance(1000);
    expect(typingStates(await signals(customerOnB))).toEqual(['Ann Agent:false']);
    expect(c.published.filter((m) => m.k === 'typing')).toHaveLength(4);
  });

  it('shows typing of an internal note to agents only', async () => {
    const c = cluster();
    const customerOnB = c.b.watch(customer, 'T');
    const agent2OnB = c.b.watch(agent2, 'T');
    await signals(customerOnB);
    await signals(agent2OnB);
    c.a.ephemeral.typing('T', agent, true, true);
    expect(typingStates(await signals(agent2OnB))).toEqual(['Ann Agent:true']);
    expect(typingStates(await signals(customerOnB))).toEqual([]);
    c.a.ephemeral.typing('T', agent, false, true);
    expect(typingStates(await signals(customerOnB))).toEqual([]);
  });
});

describe('signals', () => {
  it('split heartbeats into NOTIFY-sized payloads', async () => {
    const entries = Array.from({ length: 500 }, (_, i): [string, string, string, 'agent'] => [
      `ticket-${i}`.padEnd(36, 'x'),
      `user-${i}`.padEnd(36, 'x'),
      'é'.repeat(100),
      'agent',
    ]);
    const messages = chunkEntries('here', 'hub', entries);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages)
      expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(maxSignalBytes + 100);
    expect(messages.flatMap((m) => m.v)).toEqual(entries);
  });

  it('ignores malformed payloads', async () => {
    expect(parseSignal('nope')).toBeNull();
    expect(parseSignal('{"k":"typing"}')).toBeNull();
    expect(
      parseSignal(JSON.stringify({ k: 'here', h: 'x', v: [['t', 'u', 'n', 'root']] })),
    ).toBeNull();
  });
});
