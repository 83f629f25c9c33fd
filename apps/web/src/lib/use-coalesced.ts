import { useCallback, useEffect, useRef } from 'react';
import { useLatest } from './use-latest';

/**
 * Returns a trigger that runs `fn` once, `delayMs` after the first of a burst of
 * calls: a flurry of live events becomes one refetch.
 */
export function useCoalesced(fn: () => void, delayMs: number): () => void {
  const latest = useLatest(fn);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, delayMs);
  }, [delayMs, latest]);
}
