/**
 * Writes of a ticket in flight in this process. The one-round-trip write
 * (`writeIfTicketUnchanged`) pays off only while nobody else writes the ticket: a second
 * writer that read the same version fails its claim once the first commits, and starts
 * again on the locked path, queueing for a pool connection a second time — under load,
 * with many sends to one ticket at once, that doubles the work and the wait. So a write
 * takes the optimistic path only when no other write of the ticket is in flight here;
 * otherwise it queues on the ticket's row lock at once. (Writers in other processes may
 * still collide: the claim catches them.)
 */
const inFlight = new Map<string, number>();

/** Runs `fn` counted as a write of `ticketId`; `alone`: no other is in flight here. */
export async function asTicketWriter<T>(
  ticketId: string,
  fn: (alone: boolean) => Promise<T>,
): Promise<T> {
  const others = inFlight.get(ticketId) ?? 0;
  inFlight.set(ticketId, others + 1);
  try {
    return await fn(others === 0);
  } finally {
    const left = (inFlight.get(ticketId) ?? 1) - 1;
    if (left > 0) inFlight.set(ticketId, left);
    else inFlight.delete(ticketId);
  }
}
