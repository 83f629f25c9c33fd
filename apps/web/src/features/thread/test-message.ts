import type { Message } from '../../api/types';

/** A customer's message numbered `seq`, for the thread's unit tests. */
export const testMessage = (seq: number, clientId: string | null = null): Message => ({
  id: `m${seq}`,
  ticketId: 't',
  seq,
  author: { id: 'u', name: 'U', role: 'customer' },
  body: `body ${seq}`,
  internal: false,
  createdAt: new Date(2026, 0, 1, 10, seq).toISOString(),
  clientId,
  attachments: [],
  metadata: null,
});
