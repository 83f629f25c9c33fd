import type { Logger } from './log';

type CloseStep = [name: string, run: () => unknown];

/** A step still running after this long is named in the log (and again when it ends). */
const slowStepMs = 5_000;

/**
 * Runs the server's close steps in order. Each step's time is logged at debug; a step
 * that takes longer than `slowStepMs` is named at info (the default level), so a
 * shutdown that hangs says where. A step that fails is logged and the next one still
 * runs; the first failure is thrown at the end.
 */
export async function runSteps(
  logger: Logger,
  steps: CloseStep[],
  options: { slowMs?: number } = {},
): Promise<void> {
  const slowMs = options.slowMs ?? slowStepMs;
  let failure: Error | undefined;
  for (const [name, run] of steps) {
    const started = Date.now();
    let slow = false;
    const timer = setTimeout(() => {
      slow = true;
      logger.info('shutdown step is slow', { step: name, ms: Date.now() - started });
    }, slowMs);
    try {
      await run();
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
      logger.warn('shutdown step failed', { step: name, error: String(error) });
    } finally {
      clearTimeout(timer);
      const ms = Date.now() - started;
      if (slow) logger.info('shutdown step ended', { step: name, ms });
      else logger.debug('shutdown step ended', { step: name, ms });
    }
  }
  if (failure !== undefined) throw failure;
}
