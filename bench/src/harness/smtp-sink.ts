import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { nowMs } from './clock';

/** A real SMTP server (`smtp-server`) in the bench process that counts what it accepts. */
export type SmtpSink = {
  url: string;
  /** Arrival times (ms, bench clock) of every accepted message. */
  readonly arrivals: number[];
  /** Resolves once `count` messages were accepted (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
};

export async function startSmtpSink(): Promise<SmtpSink> {
  const arrivals: number[] = [];
  let wake = () => {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 1000,
    disableReverseLookup: true, // no DNS for 127.0.0.1 (there is no resolver to ask here)
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        arrivals.push(nowMs());
        wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    async waitFor(count, timeoutMs) {
      const deadline = nowMs() + timeoutMs;
      while (arrivals.length < count) {
        const left = deadline - nowMs();
        if (left <= 0)
          throw new Error(`${arrivals.length} of ${count} emails within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(left, 1000));
        });
      }
    },
    reset() {
      arrivals.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
