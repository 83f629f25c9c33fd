import { nowMs, waitUntil } from '../harness/clock';
import { createHistogram, encodeHistogram, recordMs, type Histogram } from '../harness/histogram';
import { runOpenLoop } from '../harness/open-loop';
import { HttpCaller } from './http-caller';

export type QuerySpec = { name: string; path: string; input: unknown };

/** Worker side of B6: queries at a constant rate, round-robin over `specs`, timed per spec. */
export const queryHandlers = {
  async 'queries.run'(args: {
    httpUrl: string;
    token: string;
    specs: QuerySpec[];
    rate: number;
    durationMs: number;
    warmupMs: number;
  }) {
    const http = new HttpCaller(args.httpUrl, 64);
    const histograms = new Map<string, Histogram>(
      args.specs.map((s) => [s.name, createHistogram()]),
    );
    const failures: string[] = [];
    let pending = 0;
    let failed = 0;
    const startAt = nowMs() + 20;
    const loop = await runOpenLoop({
      rate: args.rate,
      durationMs: args.durationMs,
      startAt,
      fire: (intendedAt, index) => {
        const spec = args.specs[index % args.specs.length] as QuerySpec;
        pending++;
        const call =
          spec.path === 'healthz'
            ? http.get('/healthz').then((s) => ({ ok: s === 200, status: s, error: '' }))
            : http.query(spec.path, spec.input, args.token);
        void call.then((result) => {
          pending--;
          if (!result.ok) {
            failed++;
            if (failures.length < 5)
              failures.push(
                `${spec.name}: ${result.status} ${'error' in result ? result.error : ''}`,
              );
          } else if (intendedAt >= startAt + args.warmupMs) {
            recordMs(histograms.get(spec.name) as Histogram, nowMs() - intendedAt);
          }
        });
      },
    });
    await waitUntil(() => pending === 0, 60_000);
    http.close();
    return {
      fired: loop.fired,
      failed,
      failures,
      histograms: Object.fromEntries(
        [...histograms].map(([name, h]) => [name, encodeHistogram(h)]),
      ),
    };
  },
};
