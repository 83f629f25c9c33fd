import type { User } from '@parley/api';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { createLinks, createSocket, trpc, type Socket } from '../trpc';
import { isUnauthorized, isWorthRetrying } from './errors';
import { ConnectionProvider } from './connection';

type Clients = {
  queryClient: QueryClient;
  trpcClient: ReturnType<typeof trpc.createClient>;
  socket: Socket;
};

/** Switches the app to a new signed-in user (or to signed out) with fresh clients. */
type SessionChanged = (user: User | null) => void;

const SessionChangedContext = createContext<SessionChanged>(() => {
  throw new Error('useSessionChanged must be used inside <ApiProvider>');
});

export function useSessionChanged(): SessionChanged {
  return useContext(SessionChangedContext);
}

function createClients(user: User | null | undefined): Clients {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => isWorthRetrying(error) && count < 3,
      },
      mutations: { retry: false },
    },
  });
  if (user !== undefined)
    queryClient.setQueryData(getQueryKey(trpc.auth.me, undefined, 'query'), user);
  const socket = createSocket();
  const trpcClient = trpc.createClient({ links: createLinks(socket) });
  return { queryClient, trpcClient, socket };
}

/**
 * Owns the query cache, the tRPC client and the subscription socket. All three are
 * replaced when the user signs in or out: the socket authenticates with the cookie it
 * had when it opened, and one user's cached data must never show for the next.
 */
export function ApiProvider({ children }: { children: ReactNode }) {
  const [clients, setClients] = useState<Clients>(() => createClients(undefined));

  const sessionChanged = useCallback<SessionChanged>((user) => setClients(createClients(user)), []);

  useEffect(() => {
    const { socket, queryClient } = clients;
    // A session that ended elsewhere (signed out everywhere, disabled) lands on sign-in.
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (
        event.type === 'updated' &&
        event.action.type === 'error' &&
        isUnauthorized(event.action.error)
      ) {
        sessionChanged(null);
      }
    });
    return () => {
      unsubscribe();
      void socket.close();
    };
  }, [clients, sessionChanged]);

  return (
    <SessionChangedContext.Provider value={sessionChanged}>
      <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
        <QueryClientProvider client={clients.queryClient}>
          <ConnectionProvider socket={clients.socket} queryClient={clients.queryClient}>
            {children}
          </ConnectionProvider>
        </QueryClientProvider>
      </trpc.Provider>
    </SessionChangedContext.Provider>
  );
}
