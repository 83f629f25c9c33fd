import { useCallback, useEffect, useRef, useState } from 'react';
import { errorCodeOf, type ChatClient, type ChatMessage, type ChatTicket } from './chat-client';

type TypingPerson = { id: string; name: string };

export type ChatState = {
  ticket: ChatTicket | null;
  messages: ChatMessage[];
  /** How far the team has read (for "Seen"). */
  seenSeq: number;
  /** Agents typing now. */
  typing: TypingPerson[];
  /** The guest session ended or the chat is gone: start again. */
  lost: boolean;
  live: boolean;
};

const bySeq = (a: ChatMessage, b: ChatMessage) => a.seq - b.seq;

function merge(list: ChatMessage[], more: ChatMessage[]): ChatMessage[] {
  const seen = new Map(list.map((m) => [m.id, m]));
  for (const message of more) seen.set(message.id, message);
  return [...seen.values()].sort(bySeq);
}

/**
 * One chat, live: the ticket and its newest messages, then `realtime.onTicket` for
 * messages, read receipts, changes (an agent assigned, the chat closed) and typing.
 */
export function useChat(client: ChatClient, ticketId: string): ChatState & { refresh: () => void } {
  const [state, setState] = useState<ChatState>({
    ticket: null,
    messages: [],
    seenSeq: 0,
    typing: [],
    lost: false,
    live: false,
  });
  const typingTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const load = useCallback(async () => {
    try {
      const [ticket, page] = await Promise.all([
        client.tickets.byId.query({ ticketId }),
        client.messages.list.query({ ticketId, limit: 200 }),
      ]);
      setState((s) => ({
        ...s,
        ticket,
        messages: merge(s.messages, page.items),
        seenSeq: Math.max(s.seenSeq, page.othersReadSeq ?? 0),
      }));
    } catch (error) {
      const code = errorCodeOf(error);
      if (code === 'UNAUTHORIZED' || code === 'NOT_FOUND') setState((s) => ({ ...s, lost: true }));
    }
  }, [client, ticketId]);

  useEffect(() => {
    const timers = typingTimers.current;
    const subscription = client.realtime.onTicket.subscribe(
      { ticketId },
      {
        onStarted: () => {
          setState((s) => ({ ...s, live: true }));
          // Whatever happened before the stream (re)started comes from the queries.
          void load();
        },
        onData: (raw) => {
          const event = raw.data;
          switch (event.type) {
            case 'message.created': {
              const message = event.data;
              if (message.internal) return;
              setState((s) => ({
                ...s,
                messages: merge(s.messages, [message]),
                typing: s.typing.filter((p) => p.id !== message.author.id),
              }));
              return;
            }
            case 'message.read':
              if (event.data.role !== 'customer') {
                const seq = event.data.seq;
                setState((s) => ({ ...s, seenSeq: Math.max(s.seenSeq, seq) }));
              }
              return;
            case 'ticket.updated':
            case 'ticket.rated':
            case 'resync':
              void load();
              return;
            case 'typing': {
              const { user, typing } = event.data;
              if (user.role === 'customer') return;
              clearTimeout(timers.get(user.id));
              setState((s) => ({
                ...s,
                typing: typing
                  ? [...s.typing.filter((p) => p.id !== user.id), { id: user.id, name: user.name }]
                  : s.typing.filter((p) => p.id !== user.id),
              }));
              // A lost "stopped" must not leave the indicator on for ever.
              if (typing) {
                timers.set(
                  user.id,
                  setTimeout(() => {
                    setState((s) => ({ ...s, typing: s.typing.filter((p) => p.id !== user.id) }));
                  }, 8_000),
                );
              }
              return;
            }
            default:
              return;
          }
        },
        onError: (error) => {
          const code = errorCodeOf(error);
          if (code === 'UNAUTHORIZED' || code === 'NOT_FOUND')
            setState((s) => ({ ...s, lost: true }));
          setState((s) => ({ ...s, live: false }));
        },
        onConnectionStateChange: (change) => {
          if (change.state !== 'pending') setState((s) => ({ ...s, live: false }));
        },
      },
    );
    return () => {
      subscription.unsubscribe();
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }, [client, ticketId, load]);

  return { ...state, refresh: () => void load() };
}
