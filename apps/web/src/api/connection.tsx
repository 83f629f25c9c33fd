import type { QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Socket } from '../trpc';

/** `down`: the socket was lost and is reconnecting; `up` otherwise (or not needed yet). */
export type ConnectionStatus = 'up' | 'down';

const ConnectionContext = createContext<ConnectionStatus>('up');

export function useConnectionStatus(): ConnectionStatus {
  return useContext(ConnectionContext);
}

/**
 * Watches the subscription socket. While it is down the app shows a banner; when it
 * comes back every query is refetched, so anything missed over HTTP is caught up too
 * (subscriptions resume by themselves from their last event id).
 */
export function ConnectionProvider(props: {
  socket: Socket;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  const { socket, queryClient } = props;
  const [status, setStatus] = useState<ConnectionStatus>('up');

  useEffect(() => {
    let wasDown = false;
    const subscription = socket.connectionState.subscribe({
      next: (state) => {
        const down = state.state === 'connecting' && state.error !== null;
        if (down) {
          wasDown = true;
          setStatus('down');
        } else if (state.state === 'pending' || state.state === 'idle') {
          setStatus('up');
          if (wasDown && state.state === 'pending') void queryClient.invalidateQueries();
          wasDown = false;
        }
      },
    });
    return () => subscription.unsubscribe();
  }, [socket, queryClient]);

  return <ConnectionContext.Provider value={status}>{props.children}</ConnectionContext.Provider>;
}
