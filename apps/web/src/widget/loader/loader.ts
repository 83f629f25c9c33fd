/**
 * widget.js — the one script a site adds:
 *
 *   <script src="https://parley.example/widget.js" data-site="SITE_KEY" async></script>
 *
 * It mounts a floating button (in a shadow root, so the host page's CSS cannot
 * reach it) and, on first open, an iframe of the chat served from Parley's origin.
 * Optional: `data-user-token` (identity verification, signed by the host's server).
 * No framework, no dependencies: it must stay small.
 */
type WidgetConfig = { title: string; color: string; position: 'right' | 'left' };
type FrameMessage =
  | { type: 'parley:ready' }
  | { type: 'parley:minimise' }
  | { type: 'parley:unread'; count: number }
  | { type: 'parley:chat'; active: boolean }
  | { type: 'parley:store'; chat: { guestToken: string; ticketId: string } | null };

const styles = `
:host { all: initial; }
.root { position: fixed; bottom: 20px; z-index: 2147483000; font: 15px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
.root.right { right: 20px; } .root.left { left: 20px; }
.launcher { position: relative; display: grid; place-items: center; width: 60px; height: 60px; border: 0; border-radius: 50%;
  color: #fff; background: var(--accent); box-shadow: 0 6px 20px rgba(0,0,0,.25); cursor: pointer; padding: 0; }
.launcher:focus-visible { outline: 3px solid #f59e0b; outline-offset: 3px; }
.launcher svg { width: 28px; height: 28px; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  font-size: 12px; font-weight: 700; line-height: 22px; color: #fff; background: #b91c1c; box-sizing: border-box; }
.badge[hidden] { display: none; }
.panel { position: absolute; bottom: 76px; width: 370px; height: 560px; max-height: calc(100vh - 110px);
  border-radius: 14px; overflow: hidden; background: #fff; box-shadow: 0 12px 40px rgba(0,0,0,.3);
  transition: opacity .18s ease, transform .18s ease; }
.root.right .panel { right: 0; } .root.left .panel { left: 0; }
.panel[hidden] { display: block; visibility: hidden; opacity: 0; transform: translateY(12px); pointer-events: none; }
.panel iframe { display: block; width: 100%; height: 100%; border: 0; }
@media (max-width: 480px) {
  .root.open { inset: 0; }
  .root.open .panel { position: fixed; inset: 0; width: 100%; height: 100%; max-height: none; border-radius: 0; }
  .root.open .launcher { display: none; }
}
@media (prefers-reduced-motion: reduce) { .panel { transition: none; } }
`;

const chatIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';
const closeIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"><path d="M6 6l12 12M18 6L6 18"/></svg>';

function currentScript(): HTMLScriptElement | null {
  const script = document.currentScript;
  if (script instanceof HTMLScriptElement && script.dataset.site) return script;
  return document.querySelector<HTMLScriptElement>('script[data-site][src*="widget.js"]');
}

async function start(): Promise<void> {
  const script = currentScript();
  const siteKey = script?.dataset.site ?? '';
  if (!script || !siteKey || document.querySelector('[data-parley-widget]')) return;
  const parley = new URL(script.src).origin;
  const activeKey = `parley-chat-active:${siteKey}`;
  // Only for a browser that gives the frame no storage of its own (third-party storage blocked).
  const chatKey = `parley-chat:${siteKey}`;
  const stored = (key: string) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  const store = (key: string, value: string | null) => {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // No storage: the chat lasts as long as the page.
    }
  };

  const response = await fetch(
    `${parley}/trpc/widget.config?input=${encodeURIComponent(JSON.stringify({ siteKey }))}`,
    { credentials: 'omit' },
  );
  if (!response.ok) return;
  const config = ((await response.json()) as { result: { data: WidgetConfig } }).result.data;

  const host = document.createElement('div');
  host.setAttribute('data-parley-widget', '');
  // Inline and !important: a hostile `* { all: unset }` cannot move or hide the mount point.
  for (const [name, value] of [
    ['all', 'initial'],
    ['position', 'fixed'],
    ['z-index', '2147483000'],
    ['display', 'block'],
  ] as const)
    host.style.setProperty(name, value, 'important');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = styles;
  const root = document.createElement('div');
  root.className = `root ${config.position === 'left' ? 'left' : 'right'}`;
  root.style.setProperty(
    '--accent',
    /^#[0-9a-f]{6}$/i.test(config.color) ? config.color : '#2563eb',
  );

  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.hidden = true;
  panel.id = 'parley-chat-panel';

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-controls', panel.id);
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  badge.setAttribute('data-testid', 'parley-unread');

  let frame: HTMLIFrameElement | null = null;
  let open = false;
  let unread = 0;

  const label = () => {
    const suffix = unread > 0 ? ` (${unread} unread)` : '';
    launcher.setAttribute(
      'aria-label',
      `${open ? 'Close' : 'Open'} chat: ${config.title}${suffix}`,
    );
    launcher.setAttribute('aria-expanded', String(open));
    launcher.innerHTML = open ? closeIcon : chatIcon;
    badge.textContent = String(unread);
    badge.hidden = unread === 0 || open;
    launcher.append(badge);
  };

  const tellFrame = () =>
    frame?.contentWindow?.postMessage({ type: 'parley:visibility', open }, parley);

  const ensureFrame = () => {
    if (frame) return frame;
    frame = document.createElement('iframe');
    const params = new URLSearchParams({
      site: siteKey,
      host: location.origin,
      page: location.href,
    });
    const fragment = new URLSearchParams();
    const userToken = script.dataset.userToken;
    if (userToken) fragment.set('user', userToken);
    const chat = stored(chatKey);
    if (chat) fragment.set('chat', chat);
    frame.src = `${parley}/widget/frame?${params}${fragment.size ? `#${fragment}` : ''}`;
    frame.title = `Chat: ${config.title}`;
    panel.append(frame);
    return frame;
  };

  const setOpen = (next: boolean, focus = true) => {
    open = next;
    if (open) ensureFrame();
    panel.hidden = !open;
    root.classList.toggle('open', open);
    label();
    tellFrame();
    if (focus) (open ? frame : launcher)?.focus();
  };

  window.addEventListener('message', (event: MessageEvent) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== parley) return;
    const message = event.data as FrameMessage;
    switch (message?.type) {
      case 'parley:ready':
        tellFrame();
        break;
      case 'parley:minimise':
        setOpen(false);
        break;
      case 'parley:unread':
        unread = Math.max(0, Math.min(99, Number(message.count) || 0));
        label();
        break;
      case 'parley:chat':
        store(activeKey, message.active ? '1' : null);
        break;
      case 'parley:store':
        store(chatKey, message.chat ? JSON.stringify(message.chat) : null);
        break;
    }
  });

  launcher.addEventListener('click', () => setOpen(!open));
  // Esc with focus in the widget minimises the chat. In the frame, the frame says so
  // (parley:minimise); but Chromium may deliver the key to this page instead, at the
  // element holding the frame (seen after script moved focus into the frame), and Esc on
  // the launcher of an open chat means the same.
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && open && event.composedPath().includes(host)) setOpen(false);
  });
  root.append(panel, launcher);
  shadow.append(style, root);
  label();
  document.body.append(host);

  // A chat going on in this browser: load it (hidden) so replies raise the badge.
  if (stored(activeKey) || stored(chatKey)) ensureFrame();
}

void start().catch(() => {
  // The widget is an extra: a failure must never break the host page.
});
