import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from './clock';

/** A child process's procedures: each takes one serialisable argument. */
export type Handlers = Record<string, (args: never) => unknown>;

type Request = { id: number; method: string; args: unknown };
type Response =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/**
 * Child side: answers the parent's calls with `handlers`, then tells it it is ready.
 * `stop` is always available: it runs `onStop` and exits (so `--cpu-prof` is written).
 */
export function serveRpc(handlers: Handlers, onStop: () => Promise<void> = async () => {}): void {
  const send = (message: Response | { ready: true }) => process.send?.(message);
  process.on('message', (raw: Request) => {
    if (raw.method === 'stop') {
      void onStop()
        .catch(() => {})
        .finally(() => {
          send({ id: raw.id, ok: true, result: null });
          setTimeout(() => process.exit(0), 20);
        });
      return;
    }
    const handler = handlers[raw.method] as ((args: unknown) => unknown) | undefined;
    if (!handler) {
      send({ id: raw.id, ok: false, error: `unknown method ${raw.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(raw.args))
      .then(
        (result) => send({ id: raw.id, ok: true, result }),
        (error: unknown) =>
          send({
            id: raw.id,
            ok: false,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  // The parent going away must not leave this process behind.
  process.on('disconnect', () => process.exit(0));
  send({ ready: true });
}

export type StartChildOptions = {
  name: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Extra node flags (`--cpu-prof`, `--expose-gc`...). */
  nodeFlags?: string[];
};

const tsxLoader = import.meta.resolve('tsx');

/** Parent side of one child process running a TypeScript entry under tsx. */
export class ChildPeer<H extends Handlers> {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private exited = false;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on('message', (message: Response | { ready: true }) => {
      if ('ready' in message) return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(`${name}: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiting of this.pending.values()) {
        waiting.reject(new Error(`${name} exited (code ${code}, signal ${signal})`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start<H extends Handlers>(
    entry: URL,
    options: StartChildOptions,
  ): Promise<ChildPeer<H>> {
    const child = fork(fileURLToPath(entry), options.args ?? [], {
      execArgv: ['--import', tsxLoader, ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const peer = new ChildPeer<H>(options.name, child);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (typeof message === 'object' && message !== null && 'ready' in message) {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) =>
        reject(new Error(`${options.name} exited during start-up (code ${code})`)),
      );
      child.once('error', reject);
    });
    return peer;
  }

  call<K extends keyof H & string>(
    method: K,
    args: Parameters<H[K]>[0],
  ): Promise<Awaited<ReturnType<H[K]>>> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, method, args } satisfies Request);
    });
  }

  /** Asks the child to clean up and exit; kills it if it has not within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const id = this.nextId++;
    this.child.send({ id, method: 'stop', args: null } satisfies Request);
    const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}
