import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { useCoalesced } from '../../lib/use-coalesced';
import { useRestartOnError } from '../../lib/use-restart-on-error';
import { trpc } from '../../trpc';
import { useAgentAlerts } from '../agent/use-agent-alerts';
import { useUser } from '../auth/use-session';
import { readStreamItem } from './stream-items';

type Inbox = {
  /** Tickets created since an agent last looked at the queue. */
  newTickets: number;
  clearNewTickets: () => void;
};

const InboxContext = createContext<Inbox>({ newTickets: 0, clearNewTickets: () => {} });

export function useInbox(): Inbox {
  return useContext(InboxContext);
}

/**
 * One live inbox stream per signed-in tab: every change on every ticket the user may
 * see refreshes the lists, counts and dashboard, so no page polls; an agent's tab in
 * the background alerts them to what is theirs.
 */
export function InboxProvider({ children }: { children: ReactNode }) {
  const user = useUser();
  const utils = trpc.useUtils();
  const [newTickets, setNewTickets] = useState(0);
  const isAgent = user.role !== 'customer';
  const alert = useAgentAlerts();

  const refreshLists = useCoalesced(() => {
    void utils.tickets.list.invalidate();
    if (isAgent) void utils.tickets.stats.invalidate();
  }, 150);

  const subscription = trpc.realtime.onInbox.useSubscription(
    {},
    {
      onData(raw) {
        const item = readStreamItem(raw);
        alert(item);
        switch (item.kind) {
          case 'ticket.created':
            if (isAgent) setNewTickets((count) => count + 1);
            refreshLists();
            break;
          case 'resync':
            void utils.invalidate();
            break;
          case 'typing':
          case 'presence':
            break;
          default:
            // `ready` included: whatever changed before the stream started is fetched.
            refreshLists();
        }
      },
    },
  );
  useRestartOnError(subscription);

  const clearNewTickets = useCallback(() => setNewTickets(0), []);
  const value = useMemo(() => ({ newTickets, clearNewTickets }), [newTickets, clearNewTickets]);
  return <InboxContext.Provider value={value}>{children}</InboxContext.Provider>;
}

/** Sets the tab title, led by the count of new tickets so it shows in a background tab. */
export function useDocumentTitle(title: string): void {
  const { newTickets } = useInbox();
  useEffect(() => {
    document.title = `${newTickets > 0 ? `(${newTickets}) ` : ''}${title} · Parley`;
  }, [title, newTickets]);
}
