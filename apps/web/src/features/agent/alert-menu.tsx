import { useEffect, useId, useRef, useState } from 'react';
import { BellIcon } from '../../components/icons';
import { saveAlertSettings, useAlertSettings } from './alert-settings';

type Permission = NotificationPermission | 'unsupported';

const currentPermission = (): Permission =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

const permissionHint: Record<Permission, string | null> = {
  granted: null,
  default: 'Your browser will ask to allow them.',
  denied: 'Blocked in this browser: allow notifications for this site in its settings.',
  unsupported: 'This browser cannot show them.',
};

/**
 * The agent's alert settings for this browser, behind a bell in the top bar: the chime,
 * and desktop notifications (the browser's permission is asked on the click that turns
 * them on, never unprompted).
 */
export function AlertMenu() {
  const settings = useAlertSettings();
  const [open, setOpen] = useState(false);
  const [permission, setPermission] = useState<Permission>(currentPermission);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return;
        root.current?.querySelector('button')?.focus();
      } else if (root.current?.contains(event.target as Node)) return;
      setOpen(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('mousedown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('mousedown', close);
    };
  }, [open]);

  const desktopOn = settings.desktop && permission === 'granted';
  async function toggleDesktop(on: boolean) {
    if (!on) return saveAlertSettings({ desktop: false });
    let now = currentPermission();
    if (now === 'default') now = await Notification.requestPermission();
    setPermission(now);
    saveAlertSettings({ desktop: now === 'granted' });
  }

  return (
    <div className="alert-menu" ref={root}>
      <button
        type="button"
        className="button button--ghost button--small"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
      >
        <BellIcon /> <span className="topbar__label">Alerts</span>
      </button>
      {open ? (
        <div id={panelId} className="alert-menu__panel" role="group" aria-label="Alerts">
          <p className="muted alert-menu__intro">
            While Parley is in a background tab: new chats, replies on your tickets, tickets
            assigned to you.
          </p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.sound}
              onChange={(event) => saveAlertSettings({ sound: event.target.checked })}
            />
            Play a sound
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={desktopOn}
              disabled={permission === 'denied' || permission === 'unsupported'}
              onChange={(event) => void toggleDesktop(event.target.checked)}
            />
            Desktop notifications
          </label>
          {desktopOn ? null : permissionHint[permission] ? (
            <p className="muted alert-menu__hint">{permissionHint[permission]}</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
