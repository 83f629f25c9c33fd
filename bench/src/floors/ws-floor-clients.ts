import WebSocket from 'ws';
import { nowMs, waitUntil } from '../harness/clock';
import { createHistogram, encodeHistogram, recordMs, type Histogram } from '../harness/histogram';
import { HttpCaller } from '../clients/http-caller';
import { mapLimit } from '../clients/pool';
import { runOpenLoop } from '../harness/open-loop';
import { sampleProcess } from '../harness/process-stats';

/** Worker side of the raw `ws` floor: the same socket topology as Parley's, on bare `ws`. */
export function createWsFloorClients() {
  const sockets: WebSocket[] = [];
  let intended = new Map<string, { at: number; delivered: number; record: boolean }>();
  let latency: Histogram = createHistogram();
  const broadcasts = new Map<string, { count: number; lastAt: number }>();

  function open(
    wsUrl: string,
    localAddress: string | undefined,
    onText: (text: string, at: number) => void,
  ) {
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, {
        perMessageDeflate: false,
        ...(localAddress ? { localAddress } : {}),
      });
      ws.on('message', (raw: Buffer) => onText(raw.toString('utf8'), nowMs()));
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
      sockets.push(ws);
    });
  }

  function onRelayed(text: string, at: number): void {
    const message = JSON.parse(text) as { k?: string; b?: string; subscribed?: string };
    if (message.k !== undefined) {
      const send = intended.get(message.k);
      if (!send) return;
      send.delivered++;
      if (send.record) recordMs(latency, at - send.at);
    } else if (message.b !== undefined) {
      const seen = broadcasts.get(message.b) ?? { count: 0, lastAt: 0 };
      seen.count++;
      seen.lastAt = Math.max(seen.lastAt, at);
      broadcasts.set(message.b, seen);
    }
  }

  return {
    /** `perTopic` sockets subscribed to each of `topics`. */
    async 'wsFloor.subscribe'(args: {
      wsUrl: string;
      topics: string[];
      perTopic: number;
      localAddress?: string;
    }) {
      const jobs = args.topics.flatMap((topic) =>
        Array.from({ length: args.perTopic }, () => topic),
      );
      await mapLimit(jobs, 100, async (topic) => {
        let subscribed = false;
        const ws = await open(args.wsUrl, args.localAddress, (text, at) => {
          if (text.startsWith('{"subscribed"')) subscribed = true;
          else onRelayed(text, at);
        });
        ws.send(JSON.stringify({ sub: topic }));
        await waitUntil(() => subscribed, 30_000);
      });
      return { sockets: sockets.length };
    },

    /** Plain sockets that only receive broadcasts (or sit idle). */
    async 'wsFloor.open'(args: { wsUrl: string; count: number; localAddress?: string }) {
      await mapLimit(Array.from({ length: args.count }), 200, () =>
        open(args.wsUrl, args.localAddress, onRelayed),
      );
      return { sockets: sockets.length };
    },

    /** Open-loop HTTP publishes to the topics, timed to receipt on the subscribed sockets. */
    async 'wsFloor.relay'(args: {
      httpUrl: string;
      topics: string[];
      perTopic: number;
      rate: number;
      durationMs: number;
      warmupMs: number;
      startAt: number;
      pad: string;
    }) {
      const http = new HttpCaller(args.httpUrl, 256);
      intended = new Map();
      latency = createHistogram();
      let failed = 0;
      const before = sampleProcess();
      const loop = await runOpenLoop({
        rate: args.rate,
        durationMs: args.durationMs,
        startAt: args.startAt,
        fire: (at, index) => {
          const k = String(index);
          intended.set(k, { at, delivered: 0, record: at >= args.startAt + args.warmupMs });
          const topic = args.topics[index % args.topics.length] ?? '';
          void http
            .post(`/pub?topic=${topic}`, { k, pad: args.pad })
            .then((r) => (r.ok ? undefined : failed++));
        },
      });
      const expected = loop.fired * args.perTopic;
      let delivered = 0;
      await waitUntil(() => {
        delivered = 0;
        for (const s of intended.values()) delivered += s.delivered;
        return delivered >= expected;
      }, 10_000);
      const after = sampleProcess();
      http.close();
      return {
        fired: loop.fired,
        failed,
        expected,
        delivered,
        latency: encodeHistogram(latency),
        before,
        after,
      };
    },

    /** Receipts of broadcast `tag` on this worker's sockets. */
    'wsFloor.broadcastSeen'(args: { tag: string }) {
      return broadcasts.get(args.tag) ?? { count: 0, lastAt: 0 };
    },

    /** Connects a fresh socket, asks for `count` messages and times them all in. */
    async 'wsFloor.burst'(args: { wsUrl: string; count: number; pad: string }) {
      const started = nowMs();
      let received = 0;
      let inOrder = true;
      const ws = await open(args.wsUrl, undefined, (text) => {
        const message = JSON.parse(text) as { seq: number };
        if (message.seq !== received + 1) inOrder = false;
        received++;
      });
      ws.send(JSON.stringify({ burst: args.count, pad: args.pad }));
      await waitUntil(() => received >= args.count, 60_000, 1);
      const ms = nowMs() - started;
      ws.close();
      return { ms, received, inOrder };
    },

    async 'wsFloor.close'() {
      for (const ws of sockets) ws.terminate();
      sockets.length = 0;
      broadcasts.clear();
    },
  };
}
