import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { discardBody, type DiscardLimits } from './discard-body';

/**
 * A client in a process of its own (so it sends on while the server's process is
 * blocked): posts `chunks` × 16 KB, one every 20 ms, then reads the answer. Prints
 * `{ sent, status, error }`: how many chunks went out, the answer's status line, and
 * the socket's error if the server cut it off.
 */
const client = `
const net = require('node:net');
const [port, chunks] = process.argv.slice(1).map(Number);
const chunk = Buffer.alloc(16 * 1024, 120);
const socket = net.connect(port, '127.0.0.1');
let sent = 0, answer = '', error = null;
socket.on('data', (data) => { answer += data; });
socket.on('error', (e) => { error = e.code; });
socket.on('close', () => {
  console.log(JSON.stringify({ sent, status: answer.split('\\r\\n')[0], error }));
});
socket.write('POST /upload HTTP/1.1\\r\\nHost: parley\\r\\nContent-Length: ' + chunks * chunk.length + '\\r\\n\\r\\n');
const timer = setInterval(() => {
  if (error || socket.destroyed) return clearInterval(timer);
  socket.write(chunk);
  if (++sent === chunks) { clearInterval(timer); socket.end(); }
}, 20);
`;

type Outcome = { sent: number; status: string; error: string | null };

async function post(port: number, chunks: number): Promise<Outcome> {
  const child = spawn(process.execPath, ['-e', client, String(port), String(chunks)]);
  let out = '';
  child.stdout.on('data', (data: Buffer) => (out += data.toString()));
  await once(child, 'exit');
  return JSON.parse(out) as Outcome;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** A server refusing every body with 413, discarding the rest; `onRefused` runs after. */
async function refusingServer(limits: DiscardLimits, onRefused: (req: IncomingMessage) => void) {
  server = createServer((req, res) => {
    res.writeHead(413, { 'content-type': 'text/plain' });
    res.end('too large');
    discardBody(req, limits);
    onRefused(req);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('discardBody', () => {
  it('reads a refused body to its end while the client keeps sending', async () => {
    const port = await refusingServer({ stallMs: 3_000, maxMs: 30_000 }, () => {});
    const outcome = await post(port, 40);
    expect(outcome).toEqual({ sent: 40, status: 'HTTP/1.1 413 Payload Too Large', error: null });
  });

  it('does not cut off a client that kept sending while the server was too busy to read', async () => {
    // The server's loop is blocked for two stall windows right after the body starts:
    // the client sent on all along, only the server did not read. Judged before the
    // loop read what had arrived, the silence looked like the client's.
    const port = await refusingServer({ stallMs: 1_500, maxMs: 30_000 }, (req) => {
      req.once('data', () => {
        const until = Date.now() + 3_000;
        while (Date.now() < until);
      });
    });
    const outcome = await post(port, 100);
    expect(outcome).toEqual({ sent: 100, status: 'HTTP/1.1 413 Payload Too Large', error: null });
  });

  it('cuts off a client that goes silent, and one that sends for longer than the limit', async () => {
    let silent!: IncomingMessage;
    const port = await refusingServer({ stallMs: 300, maxMs: 1_000 }, (req) => (silent = req));
    // 3 chunks (60 ms), then silence without ending the body: cut after the stall.
    const child = spawn(process.execPath, [
      '-e',
      `const s = require('node:net').connect(${port}, '127.0.0.1');
       s.write('POST / HTTP/1.1\\r\\nHost: parley\\r\\nContent-Length: 999999\\r\\n\\r\\nabc');
       s.on('close', () => process.exit(0)); s.on('error', () => {});`,
    ]);
    const started = Date.now();
    await once(child, 'exit');
    expect(silent.socket.destroyed).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Sending on and on (20 ms apart, never silent): cut at the limit, well before the end.
    const outcome = await post(port, 500);
    expect(outcome.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(outcome.sent).toBeLessThan(250);
  });
});
