import type { Ticket } from '../../api/types';
import { ErrorState } from '../../components/page-state';
import { TicketIntro } from './ticket-intro';
import { ThreadView } from './thread-view';
import type { useConversation } from './use-conversation';

/** The thread of an open ticket, as both the customer and the agent page show it. */
export function ConversationThread(props: {
  ticket: Ticket;
  conversation: ReturnType<typeof useConversation>;
}) {
  const { ticket, conversation } = props;
  const { thread, store } = conversation;
  if (thread.loadError) {
    return <ErrorState message={thread.loadError} onRetry={() => void store.loadNewest()} />;
  }
  return (
    <ThreadView
      rows={conversation.rows}
      loaded={thread.loaded}
      hasOlder={thread.hasOlder}
      loadingOlder={thread.loadingOlder}
      onLoadOlder={store.loadOlder}
      onRetry={store.retry}
      viewpoint={conversation.viewpoint}
      sentCount={conversation.sentCount}
      intro={<TicketIntro ticket={ticket} />}
    />
  );
}
