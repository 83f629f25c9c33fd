import { keepPreviousData } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { useShortcuts } from '../../features/agent/use-shortcuts';
import {
  filtersToParams,
  hasActiveFilters,
  listInput,
  parseFilters,
  type QueueFilters,
} from '../../features/queue/queue-filters';
import { QueueTable } from '../../features/queue/queue-table';
import { QueueToolbar } from '../../features/queue/queue-toolbar';
import { useDocumentTitle, useInbox } from '../../features/realtime/inbox';
import { trpc } from '../../trpc';

function countLine(total: number, filtered: boolean): string {
  const tickets = `${total} ticket${total === 1 ? '' : 's'}`;
  if (!filtered) return tickets;
  return `${tickets} ${total === 1 ? 'matches' : 'match'} these filters`;
}

export function QueuePage() {
  useDocumentTitle('Queue');
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const setFilters = useCallback(
    (next: QueueFilters, options?: { replace?: boolean }) =>
      setParams(filtersToParams(next), options),
    [setParams],
  );

  // Looking at the queue is seeing the new tickets.
  const { newTickets, clearNewTickets } = useInbox();
  useEffect(() => {
    if (newTickets > 0) clearNewTickets();
  }, [newTickets, clearNewTickets]);

  const searchRef = useRef<HTMLInputElement>(null);
  useShortcuts({ '/': () => searchRef.current?.focus() });

  const list = trpc.tickets.list.useInfiniteQuery(listInput(filters), {
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  const tickets = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[0]?.total;

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Queue</h1>
          <p className="page__subtitle" aria-live="polite">
            {total === undefined ? '\u00a0' : countLine(total, hasActiveFilters(filters))}
          </p>
        </div>
      </header>
      <QueueToolbar filters={filters} onChange={setFilters} searchRef={searchRef} />
      {list.isPending ? (
        <PageLoading label="Loading tickets…" />
      ) : list.isError ? (
        <ErrorState
          message={errorMessage(list.error) ?? 'Could not load the queue'}
          onRetry={() => void list.refetch()}
        />
      ) : tickets.length === 0 ? (
        <EmptyState title={hasActiveFilters(filters) ? 'No tickets match' : 'The queue is empty'}>
          {hasActiveFilters(filters)
            ? 'Try fewer filters or another search.'
            : 'New tickets will appear here as they come in.'}
        </EmptyState>
      ) : (
        <QueueTable tickets={tickets} />
      )}
      {list.hasNextPage ? (
        <div className="load-more">
          <button
            type="button"
            className="button"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
