import type { Message } from '../../api/types';
import type { UploadedFile } from '../attachments/upload';

/** A message on its way: shown at once, confirmed (or marked failed) by the server. */
export type PendingMessage = {
  clientId: string;
  body: string;
  internal: boolean;
  /** Uploaded files sent with it (claimed when the send succeeds). */
  files?: UploadedFile[];
  createdAt: string;
  state: 'sending' | 'failed';
  error?: string;
};

export type ThreadState = {
  /** Confirmed messages, ascending `seq`, each once. */
  messages: Message[];
  pending: PendingMessage[];
  loaded: boolean;
  hasOlder: boolean;
  /** Highest `seq` the other side (agent for a customer, customer for an agent) has read. */
  othersReadSeq: number;
};

export type ThreadAction =
  | { type: 'loaded'; items: Message[]; hasOlder: boolean }
  | { type: 'older'; items: Message[]; hasOlder: boolean }
  | { type: 'received'; items: Message[] }
  | { type: 'sending'; pending: PendingMessage }
  | { type: 'failed'; clientId: string; error: string }
  | { type: 'retrying'; clientId: string }
  | { type: 'read'; seq: number }
  /** How far a message sent over WhatsApp or SMS got (agents see it on the message). */
  | { type: 'delivery'; seq: number; delivery: NonNullable<Message['delivery']> };

export const emptyThread: ThreadState = {
  messages: [],
  pending: [],
  loaded: false,
  hasOlder: false,
  othersReadSeq: 0,
};

/**
 * Merges messages by `seq`: whatever the mix of first page, older pages, live events,
 * replays after a reconnect and send responses, each message appears once, in order.
 */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return current;
  const last = current.at(-1)?.seq ?? -Infinity;
  const sortedIncoming = [...incoming].sort((a, b) => a.seq - b.seq);
  // The common live case: strictly newer messages are appended without a re-sort.
  if ((sortedIncoming[0]?.seq ?? -Infinity) > last) {
    const fresh = sortedIncoming.filter((m, i) => i === 0 || m.seq !== sortedIncoming[i - 1]?.seq);
    return [...current, ...fresh];
  }
  const bySeq = new Map<number, Message>();
  for (const message of current) bySeq.set(message.seq, message);
  for (const message of sortedIncoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** A confirmed message retires the pending one with its `clientId`. */
function settle(pending: PendingMessage[], confirmed: Message[]): PendingMessage[] {
  if (pending.length === 0) return pending;
  const ids = new Set(confirmed.map((m) => m.clientId).filter(Boolean));
  return ids.size === 0 ? pending : pending.filter((p) => !ids.has(p.clientId));
}

export function threadReducer(state: ThreadState, action: ThreadAction): ThreadState {
  switch (action.type) {
    case 'loaded':
      return {
        ...state,
        loaded: true,
        hasOlder: action.hasOlder,
        messages: mergeMessages(state.messages, action.items),
        pending: settle(state.pending, action.items),
      };
    case 'older':
      return {
        ...state,
        hasOlder: action.hasOlder,
        messages: mergeMessages(state.messages, action.items),
      };
    case 'received':
      return {
        ...state,
        messages: mergeMessages(state.messages, action.items),
        pending: settle(state.pending, action.items),
      };
    case 'sending':
      return { ...state, pending: [...state.pending, action.pending] };
    case 'failed':
      return {
        ...state,
        pending: state.pending.map((p) =>
          p.clientId === action.clientId ? { ...p, state: 'failed', error: action.error } : p,
        ),
      };
    case 'retrying':
      return {
        ...state,
        pending: state.pending.map((p) => {
          if (p.clientId !== action.clientId) return p;
          const { error: _error, ...rest } = p;
          return { ...rest, state: 'sending' };
        }),
      };
    case 'read':
      return action.seq > state.othersReadSeq ? { ...state, othersReadSeq: action.seq } : state;
    case 'delivery': {
      const index = state.messages.findIndex((m) => m.seq === action.seq);
      const message = state.messages[index];
      if (!message) return state;
      const messages = [...state.messages];
      messages[index] = { ...message, delivery: action.delivery };
      return { ...state, messages };
    }
  }
}

export const newestSeq = (state: ThreadState) => state.messages.at(-1)?.seq ?? 0;
export const oldestSeq = (state: ThreadState) => state.messages[0]?.seq;
