import { useState } from 'react';
import { notificationKinds } from '@parley/contract';
import { errorMessage } from '../../api/errors';
import { ErrorState, PageLoading } from '../../components/page-state';
import { useDocumentTitle } from '../realtime/inbox';
import { trpc } from '../../trpc';

/** `/settings/notifications`: which emails the signed-in person gets. */
export function NotificationSettingsPage() {
  useDocumentTitle('Email notifications');
  const utils = trpc.useUtils();
  const preferences = trpc.notifications.preferences.get.useQuery();
  // What a click set, shown within the click's own event: the cache update below lands a
  // timer later (react-query batches on a timeout), and until then React would put the
  // box back. Kept only while the list is the one clicked on; the next list (the same
  // change, the server's answer, or a reload after a failure) says the rest.
  const [clicked, setClicked] = useState<{ on: unknown; shown: Record<string, boolean> }>({
    on: null,
    shown: {},
  });
  const shown = clicked.on === preferences.data ? clicked.shown : {};
  const set = trpc.notifications.preferences.set.useMutation({
    // The box follows the click at once; the answer (or a failure's reload) settles it.
    onMutate: (change) =>
      utils.notifications.preferences.get.setData(undefined, (all) =>
        all?.map((p) =>
          p.kind === change.kind && p.channel === change.channel
            ? { ...p, enabled: change.enabled }
            : p,
        ),
      ),
    onSuccess: (all) => utils.notifications.preferences.get.setData(undefined, all),
    onError: () => void utils.notifications.preferences.get.invalidate(),
  });

  return (
    <section className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Email notifications</h1>
          <p className="page__subtitle">
            Choose what Parley emails you about. Every email also has a link to stop its kind.
          </p>
        </div>
      </header>
      {preferences.error ? (
        <ErrorState
          message={errorMessage(preferences.error) ?? ''}
          onRetry={() => void preferences.refetch()}
        />
      ) : !preferences.data ? (
        <PageLoading />
      ) : (
        <form className="card card--padded" onSubmit={(event) => event.preventDefault()}>
          <fieldset>
            <legend>Email me when</legend>
            {preferences.data.map((preference) => {
              const key = `${preference.kind}/${preference.channel}`;
              return (
                <label key={key} className="checkbox" data-testid="notification-preference">
                  <input
                    type="checkbox"
                    checked={shown[key] ?? preference.enabled}
                    onChange={(event) => {
                      const enabled = event.target.checked;
                      setClicked({ on: preferences.data, shown: { ...shown, [key]: enabled } });
                      set.mutate({ kind: preference.kind, channel: preference.channel, enabled });
                    }}
                  />
                  {notificationKinds[preference.kind].label}
                </label>
              );
            })}
          </fieldset>
          {set.error ? (
            <p className="inline-error" role="alert">
              {errorMessage(set.error)}
            </p>
          ) : null}
        </form>
      )}
    </section>
  );
}
