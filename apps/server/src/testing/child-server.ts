import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./server-process.ts', import.meta.url));
// `--import tsx` resolves from the working directory: the server package has tsx.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export type ChildServer = AsyncDisposable & {
  port: number;
  wsUrl: string;
  /** The process id (tests read its memory from /proc). */
  pid: number;
  /** Kills the process with SIGKILL: no shutdown, no goodbye to clients or other processes. */
  kill(): Promise<void>;
  /** Whether the process has exited (by itself: a crash, unless `kill` was called). */
  readonly exited: boolean;
};

/** Starts a server in a child process (see server-process.ts); `port` 0 picks a free one. */
export async function startChildServer(options: {
  databaseUrl: string;
  port?: number;
  realtime?: Record<string, number>;
  /** The built web app to serve at /. */
  webRoot?: string;
  /** More environment for the process (e.g. `PARLEY_MAX_UPLOAD_MB`). */
  env?: Record<string, string>;
}): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      PARLEY_TEST_DATABASE_URL: options.databaseUrl,
      PORT: String(options.port ?? 0),
      PARLEY_TEST_REALTIME: JSON.stringify(options.realtime ?? {}),
      PARLEY_TEST_WEB_ROOT: options.webRoot ?? '',
      ...options.env,
    },
    cwd: packageDir,
    // stdin: a pipe the child watches; it ends when this process dies, however it died.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        // Not the ready line.
      }
    });
    void exited.then(() => reject(new Error('the server process exited before listening')));
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/trpc`,
    pid: child.pid!,
    kill,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    [Symbol.asyncDispose]: kill,
  };
}
