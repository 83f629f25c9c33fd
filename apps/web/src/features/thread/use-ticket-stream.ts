import { useLatest } from '../../lib/use-latest';
import { useRestartOnError } from '../../lib/use-restart-on-error';
import { trpc } from '../../trpc';
import { readStreamItem, type StreamItem } from '../realtime/stream-items';

/**
 * The live stream of one ticket. Reconnects resume from the last event seen (the
 * socket client resends it), so a dropped connection replays what was missed; a
 * stream that failed starts again.
 */
export function useTicketStream(ticketId: string, onItem: (item: StreamItem) => void): void {
  const handler = useLatest(onItem);
  const subscription = trpc.realtime.onTicket.useSubscription(
    { ticketId },
    {
      onData(raw) {
        handler.current(readStreamItem(raw));
      },
    },
  );
  useRestartOnError(subscription);
}
