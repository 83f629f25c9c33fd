import type { UploadedFile } from '../attachments/upload';
import { useMemo, useState } from 'react';
import type { User } from '../../api/types';
import { useCoalesced } from '../../lib/use-coalesced';
import { trpc } from '../../trpc';
import { buildRows } from './thread-rows';
import { newestSeq } from './thread-state';
import { useMarkRead } from './use-mark-read';
import { usePeers } from './use-peers';
import { useThread } from './use-thread';
import { useTicketStream } from './use-ticket-stream';
import { useTypingSender } from './use-typing-sender';

/**
 * Everything live about one open ticket, for the customer's and the agent's page:
 * the thread, who is viewing and typing, read receipts, and the ticket's own fields
 * refreshed when they change.
 */
export function useConversation(ticketId: string, viewer: User) {
  const utils = trpc.useUtils();
  const { state, store } = useThread(ticketId);
  const peers = usePeers(viewer.id);
  const typing = useTypingSender(ticketId);
  const [sentCount, setSentCount] = useState(0);
  const isAgent = viewer.role !== 'customer';
  const refreshTicket = useCoalesced(() => void utils.tickets.byId.invalidate({ ticketId }), 100);

  useTicketStream(ticketId, (item) => {
    switch (item.kind) {
      case 'message.created':
        store.received(item.message);
        if (item.message.author.id) peers.onMessageFrom(item.message.author.id);
        break;
      case 'message.read':
        // "Seen" is about the other side: agents for a customer, the customer for agents.
        if (isAgent === (item.role === 'customer')) store.othersRead(item.seq);
        break;
      case 'message.delivery': {
        const { seq, channel, status, error } = item.delivery;
        store.delivered(seq, { channel, status, error });
        break;
      }
      case 'ticket.updated':
      case 'ticket.rated':
        refreshTicket();
        break;
      case 'typing':
        peers.onTyping(item.user, item.typing);
        break;
      case 'presence':
        peers.onPresence(item.viewers);
        break;
      case 'ready':
      case 'resync':
        store.streamStarted();
        refreshTicket();
        break;
      default:
        break;
    }
  });

  const newest = newestSeq(state);
  useMarkRead(ticketId, newest);

  const { messages, pending, othersReadSeq } = state;
  const rows = useMemo(
    () => buildRows(messages, pending, { viewerId: viewer.id, seenSeq: othersReadSeq }),
    [messages, pending, viewer.id, othersReadSeq],
  );

  function send(body: string, internal = false, files: UploadedFile[] = []) {
    store.send(body, internal, files);
    setSentCount((count) => count + 1);
  }

  return {
    thread: state,
    store,
    rows,
    peers,
    typing,
    send,
    sentCount,
    viewpoint: { viewerId: viewer.id, viewerName: viewer.name, isAgent },
  };
}
