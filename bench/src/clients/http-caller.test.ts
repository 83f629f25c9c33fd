import { createServer, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { HttpCaller } from './http-caller';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/**
 * An HTTP server that answers each connection's first request (keep-alive) and resets
 * the connection on its second, as a server does that closed an idle connection just as
 * the client reused it.
 */
async function serverResettingReusedConnections() {
  let requests = 0;
  const server = createServer((socket: Socket) => {
    let answered = 0;
    socket.on('data', () => {
      requests++;
      if (answered++ === 0) {
        const body = JSON.stringify({ result: { data: 'ok' } });
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`,
        );
      } else {
        socket.resetAndDestroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests: () => requests };
}

it('sends a call again on a new connection when its reused keep-alive connection was reset', async () => {
  const server = await serverResettingReusedConnections();
  const caller = new HttpCaller(server.url, 1);
  closers.push(() => caller.close());
  expect(await caller.mutation('messages.send', { body: 'first' }, 'token')).toEqual({
    ok: true,
    data: 'ok',
  });
  expect(await caller.mutation('messages.send', { body: 'second' }, 'token')).toEqual({
    ok: true,
    data: 'ok',
  });
  expect(server.requests()).toBe(3);
});

it('sends the call again on a connection of its own, not on another pooled one the server closed too', async () => {
  // Two keep-alive connections, both idle, both closed by the server when next used (as
  // after a pause longer than the server's keep-alive timeout, on a loaded machine).
  const server = await serverResettingReusedConnections();
  const caller = new HttpCaller(server.url, 2);
  closers.push(() => caller.close());
  const first = await Promise.all([
    caller.mutation('messages.send', { body: 'a' }, 'token'),
    caller.mutation('messages.send', { body: 'b' }, 'token'),
  ]);
  expect(first.map((r) => r.ok)).toEqual([true, true]);
  expect(await caller.mutation('messages.send', { body: 'after the pause' }, 'token')).toEqual({
    ok: true,
    data: 'ok',
  });
});
