import { useEffect, useRef, useState, type RefObject } from 'react';
import { Link } from 'react-router';
import type { Ticket } from '../../api/types';
import { ArrowLeftIcon, KeyboardIcon } from '../../components/icons';
import { CustomerPanel } from '../../features/agent/customer-panel';
import { PresenceBar } from '../../features/agent/presence-bar';
import { useShortcutsDialog } from '../../features/agent/shortcuts-context';
import { TicketDetails } from '../../features/agent/ticket-details';
import { TicketProperties, useTicketUpdate } from '../../features/agent/ticket-properties';
import { useShortcuts } from '../../features/agent/use-shortcuts';
import { TemplateSender, useWhatsAppWindow } from '../../features/agent/whatsapp-window';
import { useUser } from '../../features/auth/use-session';
import { Composer, type ComposerMode } from '../../features/thread/composer';
import { TicketLoader } from '../../features/thread/ticket-loader';
import { ConversationThread } from '../../features/thread/conversation-thread';
import { TypingIndicator } from '../../features/thread/typing-indicator';
import { useConversation } from '../../features/thread/use-conversation';
import { PriorityBadge, StatusBadge } from '../../features/tickets/badges';

/**
 * Moves focus along with a drawer: into it (`inside`) when it opens, back to what
 * opened it (`opener`) when it closes; nothing on the first render.
 */
function useFocusFollows(
  open: boolean,
  inside: RefObject<HTMLElement | null>,
  opener: RefObject<HTMLElement | null>,
) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (open ? inside : opener).current?.focus();
  }, [open, inside, opener]);
}

export function AgentTicketPage() {
  return (
    <TicketLoader
      loadingLabel="Loading the ticket…"
      back={{ to: '/agent/queue', label: 'Back to the queue' }}
      pageClassName="page"
    >
      {(ticket) => <AgentConversation key={ticket.id} ticket={ticket} />}
    </TicketLoader>
  );
}

function AgentConversation({ ticket }: { ticket: Ticket }) {
  const me = useUser();
  const conversation = useConversation(ticket.id, me);
  const { peers } = conversation;
  const [mode, setMode] = useState<ComposerMode>('reply');
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const update = useTicketUpdate(ticket.id);
  const lastCustomerSeq =
    conversation.thread.messages.findLast((m) => m.author.role === 'customer')?.seq ?? 0;
  const whatsapp = useWhatsAppWindow(ticket, lastCustomerSeq);
  const shortcutsDialog = useShortcutsDialog();
  // On a narrow screen the sidebar is a drawer over the conversation, opened from the
  // header, so the properties are one tap away rather than below the composer.
  const [detailsOpen, setDetailsOpen] = useState(false);
  const detailsOpener = useRef<HTMLButtonElement>(null);
  const detailsCloser = useRef<HTMLButtonElement>(null);
  useFocusFollows(detailsOpen, detailsCloser, detailsOpener);

  const write = (next: ComposerMode) => {
    setMode(next);
    composerRef.current?.focus();
  };
  useShortcuts({
    r: () => write('reply'),
    n: () => write('note'),
    a: () => update.mutate({ ticketId: ticket.id, assigneeId: me.id }),
    w: () => update.mutate({ ticketId: ticket.id, status: 'waiting_customer' }),
    e: () => update.mutate({ ticketId: ticket.id, status: 'resolved' }),
    o: () => update.mutate({ ticketId: ticket.id, status: 'open' }),
  });

  return (
    <div className="workspace">
      <section className="conversation conversation--agent">
        <header className="conversation__header">
          <Link to="/agent/queue" className="back-link">
            <ArrowLeftIcon size={14} /> Queue
          </Link>
          <div className="conversation__title-row">
            <h1 className="conversation__title">
              <span className="conversation__number">#{ticket.number}</span> {ticket.subject}
            </h1>
            <div className="conversation__actions">
              <button
                ref={detailsOpener}
                type="button"
                className="button button--small details-toggle"
                aria-expanded={detailsOpen}
                aria-controls="ticket-info"
                onClick={() => setDetailsOpen(true)}
              >
                Ticket details
              </button>
              <button
                type="button"
                className="button button--ghost button--small"
                onClick={shortcutsDialog.open}
                aria-label="Keyboard shortcuts"
              >
                <KeyboardIcon /> <kbd>?</kbd>
              </button>
            </div>
          </div>
          <div className="conversation__meta">
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            <span className="muted">
              {ticket.assignee
                ? `Assigned to ${ticket.assignee.id === me.id ? 'you' : ticket.assignee.name}`
                : 'Unassigned'}
            </span>
          </div>
          <PresenceBar viewers={peers.viewers} typing={peers.typingUsers} />
        </header>

        <ConversationThread ticket={ticket} conversation={conversation} />

        <div className="conversation__footer">
          <TypingIndicator users={peers.typingUsers.filter((u) => u.role === 'customer')} />
          {whatsapp.closed ? (
            <TemplateSender ticketId={ticket.id} templates={whatsapp.templates} />
          ) : null}
          <Composer
            disabledReason={mode === 'reply' ? whatsapp.replyBlockedReason : null}
            allowNotes
            mode={mode}
            onModeChange={setMode}
            textareaRef={composerRef}
            onSend={(body, sendMode, files) => conversation.send(body, sendMode === 'note', files)}
            onTyping={conversation.typing.typed}
            onStopTyping={conversation.typing.stop}
            placeholder={`Reply to ${ticket.customer.name}…`}
          />
        </div>
      </section>
      <aside
        id="ticket-info"
        className={detailsOpen ? 'sidebar sidebar--open' : 'sidebar'}
        aria-label="Ticket information"
      >
        <button
          ref={detailsCloser}
          type="button"
          className="button button--small details-toggle"
          onClick={() => setDetailsOpen(false)}
        >
          <ArrowLeftIcon size={14} /> Back to the conversation
        </button>
        <TicketProperties ticket={ticket} />
        <CustomerPanel ticket={ticket} />
        <TicketDetails ticket={ticket} />
      </aside>
    </div>
  );
}
