/** The parts of Parley's stream events the benchmarks read (`StreamEvent` of @parley/api). */
export type WireEvent = {
  id?: string;
  type?: string;
  ticketId?: string;
  at?: string;
  data?: unknown;
};
export type WireMessage = { id: string; seq: number; clientId: string | null; ticketId: string };

export function asEvent(value: unknown): WireEvent {
  return typeof value === 'object' && value !== null ? value : {};
}

/** The message of a `message.created` event, or null for any other event. */
export function createdMessage(value: unknown): WireMessage | null {
  const event = asEvent(value);
  if (event.type !== 'message.created') return null;
  const data = event.data as Partial<WireMessage> | undefined;
  return typeof data?.seq === 'number' ? (data as WireMessage) : null;
}

/**
 * Order and completeness of one subscriber's stream of a ticket's messages, by `seq`
 * (per ticket, gap-free, increasing): a seq at or below the last is a duplicate or
 * out of order, a jump is a gap.
 */
export class SeqTracker {
  last: number | null = null;
  duplicates = 0;
  gaps = 0;

  see(seq: number): void {
    if (this.last !== null) {
      if (seq <= this.last) {
        this.duplicates++;
        return;
      }
      if (seq > this.last + 1) this.gaps += seq - this.last - 1;
    }
    this.last = seq;
  }
}
