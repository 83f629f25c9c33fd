/**
 * The chat this browser has going on a site: the guest token and the ticket, so coming
 * back to the host page — or reloading it — continues the conversation. Kept in the
 * frame's own storage (Parley's origin, partitioned by the host site). A browser that
 * denies a third-party frame any storage (third-party cookies blocked) gets the host's
 * help instead: the loader keeps it in the host page's storage and hands it back in the
 * frame URL's fragment (never sent to a server). No cookie is relied on.
 */
export type SavedChat = { guestToken: string; ticketId: string };

const keyOf = (siteKey: string) => `parley-chat:${siteKey}`;

function frameStorage(): Storage | null {
  try {
    const storage = window.localStorage;
    storage.getItem('parley-probe');
    return storage;
  } catch {
    return null;
  }
}

export function parseChat(raw: string | null): SavedChat | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<SavedChat>;
    return typeof value.guestToken === 'string' && typeof value.ticketId === 'string'
      ? { guestToken: value.guestToken, ticketId: value.ticketId }
      : null;
  } catch {
    return null;
  }
}

/** `fromHost`: what the loader kept for a frame without storage of its own. */
export function loadChat(siteKey: string, fromHost: SavedChat | null): SavedChat | null {
  const storage = frameStorage();
  return storage ? parseChat(storage.getItem(keyOf(siteKey))) : fromHost;
}

/** Keeps the chat (null: forgets it); false when the frame has no storage (ask the host). */
export function storeChat(siteKey: string, chat: SavedChat | null): boolean {
  const storage = frameStorage();
  if (!storage) return false;
  try {
    if (chat) storage.setItem(keyOf(siteKey), JSON.stringify(chat));
    else storage.removeItem(keyOf(siteKey));
    return true;
  } catch {
    return false;
  }
}
