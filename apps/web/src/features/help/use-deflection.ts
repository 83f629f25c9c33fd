import { useCallback, useEffect, useRef } from 'react';
import type { RouterInputs } from '../../trpc';
import { trpc } from '../../trpc';

type Outcome = RouterInputs['help']['deflections']['record']['outcome'];

/**
 * Remembers the suggested articles a customer opened in the new-ticket form and, once,
 * what followed: a ticket anyway (`ticketCreated`), or leaving the form without one,
 * in the app or by closing the tab (`deflected`).
 */
export function useDeflection() {
  const opened = useRef(new Set<string>());
  const done = useRef(false);
  const utils = trpc.useUtils();

  const record = useCallback(
    (outcome: Outcome, closingTab = false) => {
      if (done.current || opened.current.size === 0) return;
      done.current = true;
      const input = { articleIds: [...opened.current].slice(0, 10), outcome };
      if (closingTab) {
        // The page is going away: a keepalive request outlives it (tRPC's HTTP form of a mutation).
        void fetch('/trpc/help.deflections.record', {
          method: 'POST',
          keepalive: true,
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        }).catch(() => {});
        return;
      }
      utils.client.help.deflections.record.mutate(input).catch(() => {});
    },
    [utils],
  );

  useEffect(() => {
    const onPageHide = () => record('deflected', true);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      record('deflected');
    };
  }, [record]);

  return {
    articleOpened: useCallback((articleId: string) => opened.current.add(articleId), []),
    ticketCreated: useCallback(() => record('ticket'), [record]),
  };
}
