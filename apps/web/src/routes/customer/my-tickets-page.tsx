import { keepPreviousData } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { Status, TicketSummary } from '../../api/types';
import { errorMessage } from '../../api/errors';
import { ChatIcon, PlusIcon } from '../../components/icons';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { PriorityBadge, StatusBadge, UnreadBadge } from '../../features/tickets/badges';
import { relativeTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { trpc } from '../../trpc';

const filters: { id: string; label: string; statuses?: Status[] }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Open', statuses: ['open', 'in_progress'] },
  { id: 'waiting', label: 'Awaiting your reply', statuses: ['waiting_customer'] },
  { id: 'resolved', label: 'Resolved', statuses: ['resolved'] },
  { id: 'closed', label: 'Closed', statuses: ['closed'] },
];

export function MyTicketsPage() {
  useDocumentTitle('My tickets');
  const [params, setParams] = useSearchParams();
  const filter = filters.find((f) => f.id === params.get('show')) ?? filters[0]!;
  const list = trpc.tickets.list.useInfiniteQuery(
    {
      ...(filter.statuses ? { status: filter.statuses } : {}),
      limit: 20,
    },
    {
      getNextPageParam: (page) => page.nextCursor,
      placeholderData: keepPreviousData,
    },
  );
  const tickets = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="page page--narrow">
      <header className="page__header">
        <div>
          <h1 className="page__title">My tickets</h1>
          <p className="page__subtitle">Your conversations with our support team.</p>
        </div>
        <Link to="/tickets/new" className="button button--primary">
          <PlusIcon /> New ticket
        </Link>
      </header>

      <nav className="tabs" aria-label="Filter by status">
        {filters.map((f) => (
          <button
            key={f.id}
            type="button"
            className={f.id === filter.id ? 'tabs__tab tabs__tab--active' : 'tabs__tab'}
            aria-pressed={f.id === filter.id}
            onClick={() => setParams(f.id === 'all' ? {} : { show: f.id })}
          >
            {f.label}
          </button>
        ))}
      </nav>

      {list.isPending ? (
        <PageLoading label="Loading your tickets…" />
      ) : list.isError ? (
        <ErrorState
          message={errorMessage(list.error) ?? 'Could not load tickets'}
          onRetry={() => void list.refetch()}
        />
      ) : tickets.length === 0 ? (
        <EmptyState title={filter.id === 'all' ? 'No tickets yet' : 'Nothing here'}>
          {filter.id === 'all' ? (
            <>
              Questions about an order, a payment or your account?{' '}
              <Link to="/tickets/new">Open a ticket</Link> or browse the{' '}
              <Link to="/help">help pages</Link>.
            </>
          ) : (
            'No tickets with this status.'
          )}
        </EmptyState>
      ) : (
        <ul className="ticket-list" aria-label="Tickets">
          {tickets.map((ticket) => (
            <TicketCard key={ticket.id} ticket={ticket} />
          ))}
        </ul>
      )}

      {list.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}

function TicketCard({ ticket }: { ticket: TicketSummary }) {
  const now = useNow();
  const unread = ticket.unreadCount > 0;
  const when = ticket.lastMessageAt ?? ticket.updatedAt;
  return (
    <li>
      <Link
        to={`/tickets/${ticket.id}`}
        className={unread ? 'ticket-card ticket-card--unread' : 'ticket-card'}
        data-testid="ticket-card"
      >
        <div className="ticket-card__top">
          <span className="ticket-card__number">#{ticket.number}</span>
          <span className="ticket-card__subject">{ticket.subject}</span>
          <UnreadBadge count={ticket.unreadCount} />
          <time className="ticket-card__time" dateTime={when}>
            {relativeTime(when, now)}
          </time>
        </div>
        <p className="ticket-card__preview">{ticket.lastMessagePreview ?? 'No replies yet'}</p>
        <div className="ticket-card__meta">
          <StatusBadge status={ticket.status} audience="customer" />
          <PriorityBadge priority={ticket.priority} />
          <span className="ticket-card__count" title="Messages">
            <ChatIcon size={14} /> {ticket.messageCount}
            <span className="visually-hidden"> messages</span>
          </span>
        </div>
      </Link>
    </li>
  );
}
