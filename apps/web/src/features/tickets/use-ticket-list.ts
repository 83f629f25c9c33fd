import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { trpc, type RouterInputs } from '../../trpc';

type ListInput = Omit<NonNullable<RouterInputs['tickets']['list']>, 'cursor'>;

/**
 * Keyset-paged `tickets.list` ("Load more"). tRPC's own `useInfiniteQuery` adds a
 * `direction` field that the strict input schema refuses, so this pages with the
 * plain client under tRPC's query key: `utils.tickets.list.invalidate()` still
 * refreshes it when the inbox stream reports a change.
 */
export function useTicketList(input: ListInput) {
  const client = trpc.useUtils().client;
  return useInfiniteQuery({
    queryKey: getQueryKey(trpc.tickets.list, input, 'infinite'),
    queryFn: ({ pageParam }) =>
      client.tickets.list.query({ ...input, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
}
