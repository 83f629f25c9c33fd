/**
 * Messages between the chat frame and the loader on the host page (postMessage). The
 * frame posts only to the host origin it was opened for; the loader accepts only
 * messages from the frame's window and Parley's origin.
 */
export type FrameToHost =
  | { type: 'parley:ready' }
  | { type: 'parley:minimise' }
  | { type: 'parley:unread'; count: number }
  | { type: 'parley:chat'; active: boolean }
  /** The frame has no storage: the host keeps its chat (null: forget it). */
  | { type: 'parley:store'; chat: { guestToken: string; ticketId: string } | null };

export type HostToFrame = { type: 'parley:visibility'; open: boolean };

export function postToHost(hostOrigin: string, message: FrameToHost): void {
  if (window.parent === window) return;
  window.parent.postMessage(message, hostOrigin);
}

export function isHostMessage(value: unknown): value is HostToFrame {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'parley:visibility' &&
    typeof (value as { open?: unknown }).open === 'boolean'
  );
}
