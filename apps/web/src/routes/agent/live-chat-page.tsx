import { useState } from 'react';
import { NavLink, Outlet, useParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import type { TicketSummary } from '../../api/types';
import { ErrorState, PageLoading } from '../../components/page-state';
import { useNewChatAlert } from '../../features/agent/use-new-chat-alert';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { UnreadBadge } from '../../features/tickets/badges';
import { relativeTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { trpc } from '../../trpc';

/** Unread first, then whoever has waited longest since the last message. */
function byUrgency(a: TicketSummary, b: TicketSummary): number {
  if (a.unreadCount > 0 !== b.unreadCount > 0) return a.unreadCount > 0 ? -1 : 1;
  const at = (t: TicketSummary) => Date.parse(t.lastMessageAt ?? t.createdAt);
  return at(a) - at(b);
}

/**
 * Live chat: the chats from the widget that are still going, on the left (unread and
 * longest-waiting first; new ones ring), the open one on the right, so an agent
 * handles several without leaving the page.
 */
export function LiveChatPage() {
  const now = useNow();
  const { ticketId } = useParams();
  const chats = trpc.tickets.list.useQuery({
    channel: ['widget'],
    status: ['open', 'in_progress', 'waiting_customer'],
    sort: 'updated_desc',
    limit: 100,
  });
  const items = chats.data?.items;
  const announcement = useNewChatAlert(items);
  const waiting = items?.filter((chat) => chat.unreadCount > 0).length ?? 0;
  useDocumentTitle(waiting > 0 ? `(${waiting}) Live chat` : 'Live chat');
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'denied' : Notification.permission,
  );

  return (
    <div className="live-chat">
      <section className="live-chat__list" aria-labelledby="live-chat-title">
        <header className="live-chat__header">
          <h1 id="live-chat-title" className="page__title">
            Live chat
          </h1>
          {permission === 'default' ? (
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => void Notification.requestPermission().then(setPermission)}
            >
              Notify me of new chats
            </button>
          ) : null}
        </header>
        <p className="visually-hidden" role="status" data-testid="new-chat-announcement">
          {announcement}
        </p>
        {chats.isPending ? (
          <PageLoading label="Loading chats…" />
        ) : chats.isError ? (
          <ErrorState
            message={errorMessage(chats.error) ?? 'Could not load the chats'}
            onRetry={() => void chats.refetch()}
          />
        ) : chats.data.items.length === 0 ? (
          <p className="muted live-chat__empty">No chats going on. New ones ring here.</p>
        ) : (
          <ul className="live-chat__items">
            {[...chats.data.items].sort(byUrgency).map((chat) => (
              <li key={chat.id}>
                <NavLink
                  to={`/agent/chats/${chat.id}`}
                  className="live-chat__item"
                  data-testid="live-chat-item"
                >
                  <span className="live-chat__name">
                    {chat.customer.name}
                    {chat.unreadCount > 0 ? <UnreadBadge count={chat.unreadCount} /> : null}
                  </span>
                  <span className="live-chat__preview">
                    {chat.lastMessagePreview ?? chat.subject}
                  </span>
                  <span className="muted live-chat__time">
                    {relativeTime(chat.lastMessageAt ?? chat.createdAt, now)}
                  </span>
                </NavLink>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="live-chat__open">
        {ticketId ? <Outlet /> : <p className="muted live-chat__empty">Pick a chat on the left.</p>}
      </div>
    </div>
  );
}
