import { useEffect, useState, useSyncExternalStore } from 'react';
import { useConnectionStatus } from '../../api/connection';
import { trpc } from '../../trpc';
import { ThreadStore } from './thread-store';

/** The live thread of one ticket (render it under `key={ticketId}`). */
export function useThread(ticketId: string) {
  const client = trpc.useUtils().client;
  const [store] = useState(
    () =>
      new ThreadStore(
        {
          list: (input) => client.messages.list.query(input),
          send: (input) => client.messages.send.mutate(input),
        },
        ticketId,
      ),
  );
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);

  useEffect(() => {
    void store.loadNewest();
  }, [store]);

  // Back from a dropped connection: fetch whatever was written while away.
  const connection = useConnectionStatus();
  useEffect(() => {
    if (connection === 'up') store.catchUp().catch(() => {});
  }, [connection, store]);

  return { state, store };
}
