import { alertSettings } from './alert-settings';

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

export function desktopAlertsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

export type Alert = {
  title: string;
  body: string;
  /** Alerts with the same tag replace each other (one per ticket). */
  tag: string;
  /** Where a click on the desktop notification takes the agent. */
  path?: string;
};

/**
 * Alerts the agent as their settings say: the chime, and a desktop notification when
 * they turned those on and the browser allows them. A click on the notification
 * brings the tab forward and opens `path`.
 */
export function alertAgent(alert: Alert, navigate?: (path: string) => void): void {
  const settings = alertSettings();
  if (settings.sound) chime();
  if (!settings.desktop || !desktopAlertsAllowed()) return;
  try {
    const shown = new Notification(alert.title, { body: alert.body, tag: alert.tag });
    shown.onclick = () => {
      window.focus();
      if (alert.path && navigate) navigate(alert.path);
      shown.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the chime remains.
  }
}

/** Whether the agent is looking at another tab or window (alerts are for then). */
export function inBackground(): boolean {
  return document.visibilityState === 'hidden';
}
