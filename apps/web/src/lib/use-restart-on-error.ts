import { useEffect } from 'react';

/**
 * Starts a subscription again a moment after it ended in an error (the server could
 * not reach its database, say): without this it would stay dead until a reload. The
 * new stream begins with `ready`, on which its consumer reads forward from what it
 * holds, so nothing in between is missed.
 */
export function useRestartOnError(
  subscription: { status: string; reset: () => void },
  delayMs = 2000,
): void {
  const { status, reset } = subscription;
  useEffect(() => {
    if (status !== 'error') return;
    const timer = setTimeout(reset, delayMs);
    return () => clearTimeout(timer);
  }, [status, reset, delayMs]);
}
