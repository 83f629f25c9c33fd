import { randomUUID } from 'node:crypto';
import { createAuth } from '@parley/api';
import { createTestUser } from '@parley/api/testing';
import { describe, expect, it } from 'vitest';
import { httpClient, startTestServer } from './testing';
import { rawSocket } from './testing/raw-socket';

const subscribe = (id: number, ticketId: string, lastEventId?: string) => ({
  id,
  jsonrpc: '2.0',
  method: 'subscription',
  params: { path: 'realtime.onTicket', input: { ticketId }, lastEventId },
});

type Frame = {
  id?: unknown;
  result?: { type?: string; id?: string; data?: { data?: { id?: string } } };
};

/**
 * The frames of subscription `id` that carry logged events (and `ready`), as received
 * (text), by tracked id; presence and typing signals, which carry the cursor too, left out.
 */
function dataFrames(frames: string[], id: number): Map<string, string> {
  const byEvent = new Map<string, string>();
  for (const frame of frames) {
    const { id: callId, result } = JSON.parse(frame) as Frame;
    if (callId === id && result?.type === 'data' && result.id === result.data?.data?.id) {
      byEvent.set(result.id as string, frame);
    }
  }
  return byEvent;
}

describe('live events written beside tRPC’s pipeline (issue 12)', () => {
  it('reach a real WebSocket in the very frames tRPC sends when it replays the same events', async () => {
    await using server = await startTestServer();
    const customer = await createTestUser(server.database.db, 'customer');
    const { token } = await createAuth(server.database.db).createSession(customer.id);
    const agent = await createTestUser(server.database.db, 'agent');
    const agentSession = await createAuth(server.database.db).createSession(agent.id);
    const http = httpClient(server.url, { token });
    const agentHttp = httpClient(server.url, { token: agentSession.token });
    const ticket = await http.tickets.create.mutate({
      subject: 'Frames',
      description: 'Same bytes',
    });

    await using socket = await rawSocket(server.wsUrl, { token });
    const frames: string[] = [];
    socket.ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
    // Live: a fresh subscription gets `ready` through tRPC, then the events as they happen.
    socket.send(subscribe(1, ticket.id));
    await socket.until(() => dataFrames(frames, 1).size === 1, 'ready');
    const [readyId] = [...dataFrames(frames, 1).keys()];
    for (const body of ['one', 'two', 'three']) {
      await http.messages.send.mutate({ ticketId: ticket.id, body, clientId: randomUUID() });
    }
    await agentHttp.tickets.update.mutate({ ticketId: ticket.id, status: 'in_progress' });
    await socket.until(() => dataFrames(frames, 1).size >= 5, 'the live events');
    // Live events went out beside tRPC's pipeline (not all need to: one arriving while
    // the stream is busy with a presence signal queues behind it and goes through tRPC).
    expect(server.server.hub.stats().sentStraight).toBeGreaterThan(0);
    const live = dataFrames(frames, 1);
    live.delete(readyId as string);

    // Replayed: the same events from the log, through tRPC's pipeline, on subscription 2.
    socket.send(subscribe(2, ticket.id, readyId));
    await socket.until(() => dataFrames(frames, 2).size >= live.size, 'the replay');
    const replayed = dataFrames(frames, 2);
    expect([...replayed.keys()]).toEqual([...live.keys()]);
    for (const [eventId, frame] of live) {
      expect(frame.replace(/^\{"id":1,/, '{"id":2,')).toBe(replayed.get(eventId));
    }
  });
});
