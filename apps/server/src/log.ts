/** One JSON line per event on stdout. Never pass secrets or session tokens in `fields`. */
export type Logger = {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
};

let stdoutGuarded = false;

export function createLogger(options: { silent?: boolean } = {}): Logger {
  if (!stdoutGuarded) {
    // A closed stdout (the terminal or pipe went away) must not crash the server
    // mid-shutdown: logging stops, the cleanup goes on.
    process.stdout.on('error', () => {});
    stdoutGuarded = true;
  }
  const write = (level: string, msg: string, fields?: Record<string, unknown>) => {
    if (options.silent) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** An error as log fields: message and stack, nothing else (no request data). */
export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}
