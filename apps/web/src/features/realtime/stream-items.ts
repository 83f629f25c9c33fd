import type { EphemeralEvent, Viewer, StreamEvent, TicketEventData } from '@parley/api';
import type { Message, TicketSummary } from '../../api/types';

export type { Viewer };

/**
 * What `realtime.onTicket` and `realtime.onInbox` yield: every item `tracked` with the
 * stream's cursor (signals carry the cursor of the event before them, never their own).
 */
export type StreamYield = { id: string; data: StreamEvent | EphemeralEvent };

/** One item of a stream, in the terms the UI acts on. */
export type StreamItem =
  | { kind: 'ready' }
  /** Too far behind to replay: reload state with queries; the stream goes on live. */
  | { kind: 'resync' }
  /** A new ticket as its event carries it (a list row without `channel`). */
  | { kind: 'ticket.created'; ticketId: string; ticket: Omit<TicketSummary, 'channel'> }
  | { kind: 'ticket.updated'; ticketId: string; changes: TicketEventData['ticket.updated'] }
  | { kind: 'message.created'; ticketId: string; message: Message }
  | { kind: 'message.read'; ticketId: string; userId: string; role: string; seq: number }
  | { kind: 'message.delivery'; ticketId: string; delivery: TicketEventData['message.delivery'] }
  | { kind: 'ticket.rated'; ticketId: string; score: number }
  | { kind: 'typing'; ticketId: string; user: Viewer; typing: boolean }
  | { kind: 'presence'; ticketId: string; viewers: Viewer[] };

/** Reads one stream item into what the UI acts on (types come from `@parley/api`). */
export function readStreamItem(raw: StreamYield): StreamItem {
  const event = raw.data;
  switch (event.type) {
    case 'typing':
      return {
        kind: 'typing',
        ticketId: event.ticketId,
        user: event.data.user,
        typing: event.data.typing,
      };
    case 'presence':
      return { kind: 'presence', ticketId: event.ticketId, viewers: event.data.viewers };
    case 'ready':
      return { kind: 'ready' };
    case 'resync':
      return { kind: 'resync' };
    case 'ticket.created':
      return { kind: 'ticket.created', ticketId: event.ticketId, ticket: event.data };
    case 'ticket.updated':
      return { kind: 'ticket.updated', ticketId: event.ticketId, changes: event.data };
    case 'message.created':
      return { kind: 'message.created', ticketId: event.ticketId, message: event.data };
    case 'message.read': {
      const read = event.data;
      return {
        kind: 'message.read',
        ticketId: event.ticketId,
        userId: read.userId,
        role: read.role,
        seq: read.seq,
      };
    }
    case 'message.delivery':
      return { kind: 'message.delivery', ticketId: event.ticketId, delivery: event.data };
    case 'ticket.rated':
      return { kind: 'ticket.rated', ticketId: event.ticketId, score: event.data.score };
  }
}
