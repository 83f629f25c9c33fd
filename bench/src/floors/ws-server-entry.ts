/**
 * The raw `ws` floor: a bare WebSocket server doing the transport part of Parley's job
 * with nothing else — no tRPC, no auth, no database. Topics stand in for tickets.
 *  - ws `{"sub": topic}` subscribes the socket (answered `{"subscribed": topic}`)
 *  - HTTP `POST /pub?topic=…` relays the body to the topic's sockets (serialised once)
 *  - HTTP `POST /broadcast` relays the body to every socket
 *  - ws `{"burst": n, "pad": text}` sends n messages (`{"seq": i, "pad": …}`) back
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { summarizeHeap } from '../harness/heap';
import { serveRpc } from '../harness/ipc';
import { createEventLoopMonitor, sampleProcess } from '../harness/process-stats';

const topics = new Map<string, Set<WebSocket>>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const server = createServer((req, res) => {
  void readBody(req).then((body) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const targets =
      url.pathname === '/broadcast' ? wss.clients : topics.get(url.searchParams.get('topic') ?? '');
    for (const socket of targets ?? []) socket.send(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});

const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString('utf8')) as {
      sub?: string;
      burst?: number;
      pad?: string;
    };
    if (message.sub !== undefined) {
      let set = topics.get(message.sub);
      if (!set) topics.set(message.sub, (set = new Set()));
      set.add(socket);
      socket.once('close', () => set.delete(socket));
      socket.send(JSON.stringify({ subscribed: message.sub }));
    } else if (message.burst !== undefined) {
      for (let seq = 1; seq <= message.burst; seq++)
        socket.send(JSON.stringify({ seq, pad: message.pad }));
    }
  });
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const loop = createEventLoopMonitor();
const gc = (globalThis as { gc?: () => void }).gc;

export const wsFloorServerHandlers = {
  heapSummary: () => summarizeHeap(),
  info: () => ({ port, url: `http://127.0.0.1:${port}`, pid: process.pid }),
  sample: (args: { collect?: boolean; resetLoop?: boolean }) => {
    if (args.collect && gc) {
      gc();
      gc();
    }
    const sample = { ...sampleProcess(), eventLoop: loop.read(), sockets: wss.clients.size };
    if (args.resetLoop) loop.reset();
    return sample;
  },
};

serveRpc(wsFloorServerHandlers, async () => {
  for (const socket of wss.clients) socket.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
