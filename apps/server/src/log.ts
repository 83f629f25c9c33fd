/** One JSON line per event on stdout. Never pass secrets or session tokens in `fields`. */
export type Logger = {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
};

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

/** `LOG_LEVEL` (debug, info, warn, error); info when unset. Requests are logged at debug. */
export function logLevelFromEnv(value = process.env.LOG_LEVEL): LogLevel {
  if (!value) return 'info';
  const level = value.toLowerCase();
  if (!(logLevels as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${logLevels.join(', ')} (got "${value}")`);
  }
  return level as LogLevel;
}

let stdoutGuarded = false;

export function createLogger(options: { silent?: boolean; level?: LogLevel } = {}): Logger {
  if (!stdoutGuarded) {
    // A closed stdout (the terminal or pipe went away) must not crash the server
    // mid-shutdown: logging stops, the cleanup goes on.
    process.stdout.on('error', () => {});
    stdoutGuarded = true;
  }
  const threshold = logLevels.indexOf(options.level ?? 'info');
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (options.silent || logLevels.indexOf(level) < threshold) return;
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`,
    );
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** An error as log fields: message and stack, nothing else (no request data). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  // A wrapped error (drizzle's "Failed query") says why only in its cause.
  const cause = error.cause instanceof Error ? { cause: error.cause.message } : {};
  return { error: error.message, ...cause, stack: error.stack };
}
