import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { TicketSummary } from '../../api/types';
import { alertAgent } from './alerts';

/**
 * Rings for chats that appear after the list first loaded: the chime and a desktop
 * notification as the agent's alert settings say, and an announcement for screen
 * readers. Returns the latest announcement.
 */
export function useNewChatAlert(chats: TicketSummary[] | undefined): string {
  const known = useRef<Set<string> | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const navigate = useNavigate();
  useEffect(() => {
    if (!chats) return;
    const previous = known.current;
    known.current = new Set(chats.map((chat) => chat.id));
    if (!previous) return;
    const fresh = chats.filter((chat) => !previous.has(chat.id));
    const first = fresh[0];
    if (!first) return;
    const names = fresh.map((chat) => chat.customer.name).join(', ');
    alertAgent(
      {
        title: 'New chat',
        body: `${names}: ${first.subject}`,
        tag: 'parley-chat',
        path: `/agent/chats/${first.id}`,
      },
      (path) => void navigate(path),
    );
    setAnnouncement(`New chat from ${names}`);
  }, [chats, navigate]);
  return announcement;
}
