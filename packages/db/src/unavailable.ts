/**
 * SQLSTATEs that mean "the database cannot serve right now", not "this query is
 * wrong": connection exceptions (class 08), a server shutting down or starting up
 * (57P01–57P03), and too many connections (53300).
 */
const unavailableState = /^(08...|57P0[123]|53300)$/;
/** Socket errors on the way to the database. */
const unavailableErrno = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/** What `pg` and `pg-pool` say when a connection dies or cannot be had (they set no code). */
const unavailableMessage =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether an error, or one of its causes (drizzle and tRPC wrap the driver's error),
 * says the database is unreachable. Such a failure is worth a retry: the caller gets
 * "unavailable", never "unauthorized" or a bare 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && (unavailableState.test(code) || unavailableErrno.has(code))) {
      return true;
    }
    if (unavailableMessage.test(current.message)) return true;
    if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailable))
      return true;
    current = current.cause;
  }
  return false;
}
