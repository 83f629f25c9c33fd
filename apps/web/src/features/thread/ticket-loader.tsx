import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage, isNotFound } from '../../api/errors';
import type { Ticket } from '../../api/types';
import { ErrorState, PageLoading } from '../../components/page-state';
import { useDocumentTitle } from '../realtime/inbox';
import { trpc } from '../../trpc';

/**
 * Loads the ticket of the `:ticketId` route for a ticket page (customer or agent):
 * loading, not-found and error states, the tab title, then `children(ticket)`, remounted per ticket.
 */
export function TicketLoader(props: {
  loadingLabel: string;
  pageClassName: string;
  /** Where "not found" sends the reader back to. */
  back: { to: string; label: string };
  children: (ticket: Ticket) => ReactNode;
}) {
  const { ticketId = '' } = useParams();
  const ticket = trpc.tickets.byId.useQuery({ ticketId });
  useDocumentTitle(ticket.data ? `#${ticket.data.number} ${ticket.data.subject}` : 'Ticket');
  if (ticket.isPending) return <PageLoading label={props.loadingLabel} />;
  if (ticket.isError && isNotFound(ticket.error)) {
    return (
      <section className={props.pageClassName}>
        <div className="empty" role="alert">
          <h1 className="empty__title">Ticket not found</h1>
          <p className="empty__body">
            There is no ticket at this address, or it is not yours to see.{' '}
            <Link to={props.back.to}>{props.back.label}</Link>
          </p>
        </div>
      </section>
    );
  }
  // A failed refresh of a ticket already shown keeps the page: replacing it with an error
  // would unmount the conversation and lose its unsent messages and the draft (the
  // connection banner tells about the network; the next refresh brings the ticket up to date).
  if (ticket.isError && !ticket.data) {
    return (
      <section className={props.pageClassName}>
        <ErrorState
          message={errorMessage(ticket.error) ?? 'Could not load this ticket'}
          onRetry={() => void ticket.refetch()}
        />
      </section>
    );
  }
  return props.children(ticket.data);
}
