import type { Message, Role, TicketSummary } from '../../api/types';

/** A user as typing and presence signals show them. */
export type PublicUser = { id: string; name: string; role: Role | 'system' | 'bot' };

/** What one item of `realtime.onTicket` / `realtime.onInbox` means to the UI. */
export type StreamItem =
  | { kind: 'ready' }
  /** Too far behind to replay: reload state with queries; the stream goes on live. */
  | { kind: 'resync' }
  | { kind: 'ticket.created'; ticketId: string; ticket: TicketSummary }
  | { kind: 'ticket.updated'; ticketId: string; changes: Record<string, unknown> }
  | { kind: 'message.created'; ticketId: string; message: Message }
  | { kind: 'message.read'; ticketId: string; userId: string; role: string; seq: number }
  | { kind: 'ticket.rated'; ticketId: string; score: number }
  | { kind: 'typing'; ticketId: string; user: PublicUser; typing: boolean }
  | { kind: 'presence'; ticketId: string; viewers: PublicUser[] }
  | { kind: 'unknown' };

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Reads one subscription item. Logged events arrive as `{ id, data: event }`
 * (tRPC's `tracked`), typing and presence as the bare event. The server is trusted for
 * shapes (types come from `@parley/api`); this only tells the kinds apart.
 */
export function readStreamItem(raw: unknown): StreamItem {
  if (!isObject(raw)) return { kind: 'unknown' };
  const event = 'type' in raw ? raw : raw.data;
  if (!isObject(event)) return { kind: 'unknown' };
  const ticketId = str(event.ticketId);
  const data = isObject(event.data) ? event.data : {};
  switch (event.type) {
    case 'ready':
      return { kind: 'ready' };
    case 'resync':
      return { kind: 'resync' };
    case 'ticket.created':
      return { kind: 'ticket.created', ticketId, ticket: data as TicketSummary };
    case 'ticket.updated':
      return { kind: 'ticket.updated', ticketId, changes: data };
    case 'message.created':
      return { kind: 'message.created', ticketId, message: data as Message };
    case 'message.read':
      return { kind: 'message.read', ticketId, userId: str(data.userId), role: str(data.role), seq: Number(data.seq) };
    case 'ticket.rated':
      return { kind: 'ticket.rated', ticketId, score: Number(data.score) };
    case 'typing':
      return { kind: 'typing', ticketId, user: data.user as PublicUser, typing: data.typing === true };
    case 'presence':
      return { kind: 'presence', ticketId, viewers: Array.isArray(data.viewers) ? (data.viewers as PublicUser[]) : [] };
    default:
      return { kind: 'unknown' };
  }
}
