import { useEffect, useRef, useState } from 'react';
import type { TicketSummary } from '../../api/types';

/** A short two-tone chime (Web Audio: no sound file to load). */
function chime(): void {
  try {
    const audio = new AudioContext();
    const now = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.18, 1320],
    ] as const) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, now + offset + 0.16);
      tone.connect(gain).connect(audio.destination);
      tone.start(now + offset);
      tone.stop(now + offset + 0.17);
    }
    setTimeout(() => void audio.close(), 600);
  } catch {
    // No audio (autoplay policy, no device): the badge and the announcement remain.
  }
}

/**
 * Rings for chats that appear after the list first loaded: a chime, a browser
 * notification when the agent allowed them, and an announcement for screen readers.
 * Returns the latest announcement.
 */
export function useNewChatAlert(chats: TicketSummary[] | undefined): string {
  const known = useRef<Set<string> | null>(null);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (!chats) return;
    const previous = known.current;
    known.current = new Set(chats.map((chat) => chat.id));
    if (!previous) return;
    const fresh = chats.filter((chat) => !previous.has(chat.id));
    if (fresh.length === 0) return;
    chime();
    const names = fresh.map((chat) => chat.customer.name).join(', ');
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      new Notification('New chat', {
        body: `${names}: ${fresh[0]?.subject ?? ''}`,
        tag: 'parley-chat',
      });
    }
    setAnnouncement(`New chat from ${names}`);
  }, [chats]);
  return announcement;
}
