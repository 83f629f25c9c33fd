import { tracked } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { notePrefix } from './direct-frames';
import type { LoggedEvent } from './events';
import type { SocketHandle } from './socket-handle';
import { Subscriber } from './subscriber';

const viewer = { id: 'u1', name: 'Una', role: 'agent' } as const;
const logged = (cursor: number): LoggedEvent => ({
  cursor,
  customerId: 'c1',
  audience: 'all',
  event: { id: String(cursor), ticketId: 't1', type: 'ticket.rated', at: '', data: { score: 5 } },
});

/** A socket that records the frames written to it, with a settable backlog. */
function fakeSocket() {
  const frames: string[] = [];
  const socket: SocketHandle & { frames: string[]; bufferedAmount: number } = {
    frames,
    bufferedAmount: 0,
    holdWrites: () => {},
    send: (frame) => frames.push(frame),
    close: () => {},
  };
  return socket;
}

/**
 * What tRPC's WebSocket handler sends for one yielded item (adapters/ws: `respond`),
 * run through the server's encoder: the item's frame, and `notePrefix` seeing it.
 */
function sentByTrpc(id: number, jsonrpc: '2.0' | undefined, item: ReturnType<typeof tracked>) {
  const [trackedId, data] = item;
  const message = {
    id,
    jsonrpc,
    result: { type: 'data', data: { id: trackedId, data }, id: trackedId },
  };
  notePrefix(message);
  return JSON.stringify(message);
}

describe('live events written straight to the socket', () => {
  it('once tRPC has sent a frame of the subscription, an idle stream’s events go out in the same frame, each once, in order', async () => {
    const socket = fakeSocket();
    const sub = new Subscriber(viewer, { kind: 'inbox' }, 10, () => {}, socket, 1000);
    sub.cursor = 4;
    // Before tRPC has sent anything the prefix is unknown: the event is queued.
    const waiting = sub.next();
    sub.push({ kind: 'event', logged: logged(5) });
    const first = await waiting;
    expect(first.kind).toBe('event');
    expect(socket.frames).toEqual([]);
    // The stream yields it through tRPC (a copy that reports the frame's prefix).
    sub.cursor = 5;
    const viaTrpc = sentByTrpc(7, '2.0', tracked('5', sub.viaTrpc(logged(5).event)));
    expect(JSON.parse(viaTrpc)).toEqual({
      id: 7,
      jsonrpc: '2.0',
      result: { type: 'data', id: '5', data: { id: '5', data: logged(5).event } },
    });

    // Waiting again, with nothing queued: events are written at once, not queued.
    const next = sub.next();
    sub.push({ kind: 'event', logged: logged(6) });
    sub.push({ kind: 'event', logged: logged(6) }); // another process's hub was ahead
    sub.push({ kind: 'event', logged: logged(7) });
    expect(sub.size).toBe(0);
    expect(sub.cursor).toBe(7);
    expect(socket.frames).toHaveLength(2);
    // Byte for byte what tRPC sends for the same item.
    expect(socket.frames[0]).toBe(sentByTrpc(7, '2.0', tracked('6', logged(6).event)));
    expect(socket.frames[1]).toBe(sentByTrpc(7, '2.0', tracked('7', logged(7).event)));

    // A signal goes through the stream; events behind it queue behind it, in order.
    sub.push({
      kind: 'signal',
      event: { type: 'typing', ticketId: 't1', data: { user: viewer, typing: true } },
    });
    sub.push({ kind: 'event', logged: logged(8) });
    expect((await next).kind).toBe('signal');
    expect(await sub.next()).toEqual({ kind: 'event', logged: logged(8) });
    expect(socket.frames).toHaveLength(2);
  });

  it('a client without jsonrpc in its calls gets frames without it', () => {
    const socket = fakeSocket();
    const sub = new Subscriber(viewer, { kind: 'inbox' }, 10, () => {}, socket, 1000);
    sentByTrpc(3, undefined, tracked('1', sub.viaTrpc({ id: '1', type: 'ready' })));
    sub.cursor = 1;
    void sub.next();
    sub.push({ kind: 'event', logged: logged(2) });
    expect(socket.frames).toEqual([sentByTrpc(3, undefined, tracked('2', logged(2).event))]);
  });

  it('a socket with too much unsent leaves the event to the stream (which drops the socket)', async () => {
    const socket = fakeSocket();
    const sub = new Subscriber(viewer, { kind: 'inbox' }, 10, () => {}, socket, 1000);
    sentByTrpc(3, '2.0', tracked('1', sub.viaTrpc({ id: '1', type: 'ready' })));
    sub.cursor = 1;
    const next = sub.next();
    socket.bufferedAmount = 1001;
    sub.push({ kind: 'event', logged: logged(2) });
    expect(socket.frames).toEqual([]);
    expect(await next).toEqual({ kind: 'event', logged: logged(2) });
  });

  it('a closed subscriber writes nothing', () => {
    const socket = fakeSocket();
    const sub = new Subscriber(viewer, { kind: 'inbox' }, 10, () => {}, socket, 1000);
    sentByTrpc(3, '2.0', tracked('1', sub.viaTrpc({ id: '1', type: 'ready' })));
    sub.cursor = 1;
    void sub.next();
    sub.close();
    sub.push({ kind: 'event', logged: logged(2) });
    expect(socket.frames).toEqual([]);
  });
});
