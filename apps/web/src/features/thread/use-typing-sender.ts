import { useCallback, useEffect, useRef } from 'react';
import { trpc } from '../../trpc';

const renewMs = 3_000;
const idleMs = 4_000;

/**
 * Sends "typing" while the user types: at most every few seconds, and "stopped"
 * after a pause, on send, or when leaving the page. Typing a note is flagged internal
 * so the customer is never told.
 */
export function useTypingSender(ticketId: string) {
  const { mutate } = trpc.realtime.typing.useMutation();
  const lastSent = useRef(0);
  const lastInternal = useRef(false);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (lastSent.current === 0) return;
    lastSent.current = 0;
    mutate({ ticketId, typing: false, ...(lastInternal.current ? { internal: true } : {}) });
  }, [mutate, ticketId]);

  /** `internal`: typing a note, which only agents may be told about. */
  const typed = useCallback(
    (internal = false) => {
      const now = Date.now();
      if (now - lastSent.current > renewMs || internal !== lastInternal.current) {
        lastSent.current = now;
        lastInternal.current = internal;
        mutate({ ticketId, typing: true, ...(internal ? { internal: true } : {}) });
      }
      if (idleTimer.current) clearTimeout(idleTimer.current);
      idleTimer.current = setTimeout(stop, idleMs);
    },
    [mutate, ticketId, stop],
  );

  useEffect(() => stop, [stop]);
  return { typed, stop };
}
