import { useState } from 'react';
import { notificationKinds, type NotificationChannel } from '@parley/contract';
import { errorMessage } from '../../api/errors';
import { ErrorState, PageLoading } from '../../components/page-state';
import { useDocumentTitle } from '../realtime/inbox';
import { trpc } from '../../trpc';
import { SmsNumberCard } from './sms-number-card';

/**
 * `/settings/notifications`: what the signed-in person hears about by email, and by text
 * message (SMS) once they verified a mobile number (each kind opt-in).
 */
export function NotificationSettingsPage() {
  useDocumentTitle('Notifications');
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

  /** The boxes of one channel's kinds. */
  const boxes = (channel: NotificationChannel, testId: string) =>
    (preferences.data ?? [])
      .filter((preference) => preference.channel === channel)
      .map((preference) => {
        const key = `${preference.kind}/${preference.channel}`;
        return (
          <label key={key} className="checkbox" data-testid={testId}>
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
      });
  const smsBoxes = boxes('sms', 'sms-preference');
  /** A failed switch, under its own channel's boxes. */
  const saveError = (channel: NotificationChannel) =>
    set.error && set.variables?.channel === channel ? (
      <p className="inline-error" role="alert">
        {errorMessage(set.error)}
      </p>
    ) : null;

  return (
    <section className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Notifications</h1>
          <p className="page__subtitle">
            Choose what Parley tells you about by email, and by text message once you add a mobile
            number. Every email also has a link to stop its kind; reply STOP to any text to stop
            them all.
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
        <>
          <form className="card card--padded" onSubmit={(event) => event.preventDefault()}>
            <fieldset>
              <legend>Email me when</legend>
              {boxes('email', 'notification-preference')}
            </fieldset>
            {saveError('email')}
          </form>
          <SmsNumberCard />
          {smsBoxes.length > 0 ? (
            <form className="card card--padded" onSubmit={(event) => event.preventDefault()}>
              <fieldset>
                <legend>Text me when</legend>
                {smsBoxes}
              </fieldset>
              {saveError('sms')}
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}
