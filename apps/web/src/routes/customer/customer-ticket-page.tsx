import { categoryLabels, isFinished } from '@parley/contract';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import type { Ticket } from '../../api/types';
import { ArrowLeftIcon } from '../../components/icons';
import { useUser } from '../../features/auth/use-session';
import { RatingPanel } from '../../features/customer/rating-panel';
import { Composer } from '../../features/thread/composer';
import { TicketLoader } from '../../features/thread/ticket-loader';
import { ConversationThread } from '../../features/thread/conversation-thread';
import { TypingIndicator } from '../../features/thread/typing-indicator';
import { useConversation } from '../../features/thread/use-conversation';
import { PriorityBadge, StatusBadge } from '../../features/tickets/badges';
import { trpc } from '../../trpc';

export function CustomerTicketPage() {
  return (
    <TicketLoader
      loadingLabel="Loading the conversation…"
      back={{ to: '/tickets', label: 'Back to my tickets' }}
      pageClassName="page page--narrow"
    >
      {(ticket) => <Conversation key={ticket.id} ticket={ticket} />}
    </TicketLoader>
  );
}

function Conversation({ ticket }: { ticket: Ticket }) {
  const user = useUser();
  const conversation = useConversation(ticket.id, user);
  const finished = isFinished(ticket.status);

  return (
    <section className="conversation">
      <header className="conversation__header">
        <Link to="/tickets" className="back-link">
          <ArrowLeftIcon size={14} /> My tickets
        </Link>
        <div className="conversation__title-row">
          <h1 className="conversation__title">
            <span className="conversation__number">#{ticket.number}</span> {ticket.subject}
          </h1>
          <TicketActions ticket={ticket} />
        </div>
        <div className="conversation__meta">
          <StatusBadge status={ticket.status} audience="customer" />
          <PriorityBadge priority={ticket.priority} />
          <span className="muted">{categoryLabels[ticket.category]}</span>
          {ticket.assignee ? (
            <span className="muted">Handled by {ticket.assignee.name}</span>
          ) : null}
        </div>
      </header>

      <ConversationThread ticket={ticket} conversation={conversation} />

      <div className="conversation__footer">
        <TypingIndicator users={conversation.peers.typingUsers} />
        {finished ? <RatingPanel ticket={ticket} /> : null}
        <Composer
          onSend={(body, _mode, files) => conversation.send(body, false, files)}
          onTyping={conversation.typing.typed}
          onStopTyping={conversation.typing.stop}
          disabledReason={
            ticket.status === 'closed'
              ? 'This ticket is closed. Reopen it to send a message.'
              : null
          }
          placeholder={finished ? 'Still need help? Write a message…' : 'Write a message…'}
        />
      </div>
    </section>
  );
}

function TicketActions({ ticket }: { ticket: Ticket }) {
  const utils = trpc.useUtils();
  const onSuccess = (updated: Ticket) => {
    utils.tickets.byId.setData({ ticketId: ticket.id }, updated);
    void utils.tickets.list.invalidate();
  };
  const close = trpc.tickets.close.useMutation({ onSuccess });
  const reopen = trpc.tickets.reopen.useMutation({ onSuccess });
  const error = errorMessage(close.error ?? reopen.error);
  return (
    <div className="conversation__actions">
      {error ? (
        <span className="inline-error" role="alert">
          {error}
        </span>
      ) : null}
      {isFinished(ticket.status) ? (
        <button
          type="button"
          className="button"
          onClick={() => reopen.mutate({ ticketId: ticket.id })}
          disabled={reopen.isPending}
        >
          Reopen ticket
        </button>
      ) : (
        <button
          type="button"
          className="button"
          onClick={() => close.mutate({ ticketId: ticket.id })}
          disabled={close.isPending}
        >
          Close ticket
        </button>
      )}
    </div>
  );
}
