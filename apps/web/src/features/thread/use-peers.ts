import { useCallback, useEffect, useState } from 'react';
import type { Viewer } from '../realtime/stream-items';

/** A typing signal counts for this long unless renewed (the sender renews every few seconds). */
const typingTtlMs = 6_000;

/**
 * Who else is on the ticket right now: viewers (presence) and who is typing. Both are
 * ephemeral signals; the viewer themself is left out.
 */
export function usePeers(selfId: string) {
  const [typing, setTyping] = useState<Map<string, { user: Viewer; until: number }>>(new Map());
  const [viewers, setViewers] = useState<Viewer[]>([]);

  const onTyping = useCallback(
    (user: Viewer, isTyping: boolean) => {
      if (user.id === selfId) return;
      setTyping((current) => {
        const next = new Map(current);
        if (isTyping) next.set(user.id, { user, until: Date.now() + typingTtlMs });
        else next.delete(user.id);
        return next;
      });
    },
    [selfId],
  );

  /** A message from someone means they stopped typing. */
  const onMessageFrom = useCallback((userId: string) => {
    setTyping((current) => {
      if (!current.has(userId)) return current;
      const next = new Map(current);
      next.delete(userId);
      return next;
    });
  }, []);

  const onPresence = useCallback(
    (list: Viewer[]) =>
      setViewers(
        list.filter(
          (viewer, i) => viewer.id !== selfId && list.findIndex((v) => v.id === viewer.id) === i,
        ),
      ),
    [selfId],
  );

  useEffect(() => {
    if (typing.size === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setTyping((current) => {
        const next = new Map([...current].filter(([, entry]) => entry.until > now));
        return next.size === current.size ? current : next;
      });
    }, 1_000);
    return () => clearInterval(timer);
  }, [typing.size]);

  const typingUsers = [...typing.values()].map((entry) => entry.user);
  return { typingUsers, viewers, onTyping, onMessageFrom, onPresence };
}
