import { useConnectionStatus } from '../api/connection';

/** Shown while the live connection is down; everything catches up when it returns. */
export function ReconnectBanner() {
  const status = useConnectionStatus();
  if (status === 'up') return null;
  return (
    <div className="banner banner--warning" role="status" data-testid="reconnect-banner">
      <span className="spinner spinner--small" aria-hidden="true" />
      Connection lost. Reconnecting… Updates will catch up automatically.
    </div>
  );
}
