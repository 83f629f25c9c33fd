import { useEffect, useRef } from 'react';
import { trpc } from '../../trpc';

/** Tells the server how far the viewer has read, while the tab is actually visible. */
export function useMarkRead(ticketId: string, newestSeq: number): void {
  // Idempotent (the position only moves forward), so retrying is safe.
  const { mutate } = trpc.messages.markRead.useMutation({ retry: 2 });
  const marked = useRef(0);
  useEffect(() => {
    if (newestSeq <= marked.current) return;
    const mark = () => {
      if (document.visibilityState !== 'visible' || newestSeq <= marked.current) return;
      marked.current = newestSeq;
      mutate({ ticketId, seq: newestSeq });
    };
    const timer = setTimeout(mark, 300);
    document.addEventListener('visibilitychange', mark);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', mark);
    };
  }, [ticketId, newestSeq, mutate]);
}
