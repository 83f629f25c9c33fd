import { useSyncExternalStore } from 'react';

/** How this browser alerts an agent while Parley's tab is in the background. */
export type AlertSettings = {
  /** A chime for new chats, replies on the agent's tickets and tickets assigned to them. */
  sound: boolean;
  /** Desktop notifications, once the browser allows them (asked on a click). */
  desktop: boolean;
};

const key = 'parley.alerts';
// Desktop alerts also need the browser's permission, asked for on a click.
const defaults: AlertSettings = { sound: true, desktop: true };
const listeners = new Set<() => void>();
let cached: { raw: string | null; value: AlertSettings } | null = null;

function read(): AlertSettings {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    // Storage blocked: the defaults hold for this page's life.
  }
  if (cached && cached.raw === raw) return cached.value;
  let value = defaults;
  try {
    const stored = raw ? (JSON.parse(raw) as Partial<AlertSettings>) : {};
    value = {
      sound: typeof stored.sound === 'boolean' ? stored.sound : defaults.sound,
      desktop: typeof stored.desktop === 'boolean' ? stored.desktop : defaults.desktop,
    };
  } catch {
    // Not ours or damaged: the defaults.
  }
  cached = { raw, value };
  return value;
}

/** The settings as they are now (for code outside React). */
export function alertSettings(): AlertSettings {
  return read();
}

export function saveAlertSettings(change: Partial<AlertSettings>): void {
  try {
    localStorage.setItem(key, JSON.stringify({ ...read(), ...change }));
  } catch {
    // Storage blocked: nothing to keep it in.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === key) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The settings, kept in step with changes here and in the agent's other tabs. */
export function useAlertSettings(): AlertSettings {
  return useSyncExternalStore(subscribe, read);
}
