import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { trpc } from '../../trpc';
import { useUser } from '../auth/use-session';
import type { StreamItem } from '../realtime/stream-items';
import { alertAgent, inBackground } from './alerts';

const preview = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

/**
 * Alerts an agent whose tab is in the background when a customer replies on a ticket
 * assigned to them, and when a ticket is assigned to them (new chats ring from the
 * live-chat list). Returns the handler for the inbox stream's items.
 */
export function useAgentAlerts(): (item: StreamItem) => void {
  const user = useUser();
  const utils = trpc.useUtils();
  const navigate = useNavigate();
  return useCallback(
    (item: StreamItem) => {
      if (user.role === 'customer' || !inBackground()) return;
      const open = (path: string) => void navigate(path);
      if (item.kind === 'ticket.updated' && item.changes.assignee?.id === user.id) {
        void utils.tickets.byId.fetch({ ticketId: item.ticketId }).then(
          (ticket) =>
            alertAgent(
              {
                title: `Assigned to you: #${ticket.number}`,
                body: ticket.subject,
                tag: `parley-ticket-${ticket.id}`,
                path: `/agent/tickets/${ticket.id}`,
              },
              open,
            ),
          () => {}, // Gone or no longer visible: nothing to alert about.
        );
      }
      if (item.kind === 'message.created') {
        const { message } = item;
        if (message.internal || message.author.role !== 'customer') return;
        void utils.tickets.byId.fetch({ ticketId: item.ticketId }, { staleTime: 0 }).then(
          (ticket) => {
            if (ticket.assignee?.id !== user.id) return;
            alertAgent(
              {
                title: `${message.author.name} replied on #${ticket.number}`,
                body: preview(message.body || 'Sent a file'),
                tag: `parley-ticket-${ticket.id}`,
                path: `/agent/tickets/${ticket.id}`,
              },
              open,
            );
          },
          () => {},
        );
      }
    },
    [user, utils, navigate],
  );
}
