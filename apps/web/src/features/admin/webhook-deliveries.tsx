import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { shortDate } from '../../lib/time';
import { trpc } from '../../trpc';

const statusLabels: Record<string, string> = {
  pending: 'Retrying',
  succeeded: 'Delivered',
  failed: 'Failed',
};

/** An endpoint's delivery log (newest first), with redeliver, and replay from an event id. */
export function WebhookDeliveries({ endpointId }: { endpointId: string }) {
  const utils = trpc.useUtils();
  const deliveries = trpc.webhooks.deliveries.useQuery(
    { endpointId, limit: 25 },
    { refetchInterval: 5000 },
  );
  const refresh = () => void utils.webhooks.deliveries.invalidate({ endpointId });
  const redeliver = trpc.webhooks.redeliver.useMutation({ onSuccess: refresh });
  const replay = trpc.webhooks.replay.useMutation({ onSuccess: refresh });
  const [replayed, setReplayed] = useState<string | null>(null);
  const headingId = useId();

  function submitReplay(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fromEventId = Number(new FormData(event.currentTarget).get('fromEventId'));
    replay.mutate(
      { endpointId, fromEventId },
      {
        onSuccess: (result) =>
          setReplayed(
            `${result.queued} event${result.queued === 1 ? '' : 's'} queued again` +
              (result.nextEventId ? `; continue from ${result.nextEventId}` : ''),
          ),
      },
    );
  }

  return (
    <div className="webhook-log">
      <h3 id={headingId} className="card__title">
        Delivery log
      </h3>
      {deliveries.isPending ? (
        <PageLoading label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorState
          message={errorMessage(deliveries.error) ?? 'Could not load the deliveries'}
          onRetry={() => void deliveries.refetch()}
        />
      ) : deliveries.data.items.length === 0 ? (
        <EmptyState title="Nothing sent yet" />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col" className="col-optional">
                  Last answer
                </th>
                <th scope="col" className="col-optional">
                  Next attempt
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.items.map((d) => (
                <tr key={d.id} className="table__row" data-testid="webhook-delivery">
                  <td>
                    <code>{d.eventType}</code> #{d.eventId}
                    <br />
                    <span className="muted">{shortDate(d.createdAt)}</span>
                  </td>
                  <td>
                    <span className="badge">{statusLabels[d.status] ?? d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td className="col-optional">
                    {d.statusCode ?? d.error ?? '—'}
                    {d.durationMs !== null ? ` · ${d.durationMs} ms` : ''}
                    {d.response ? (
                      <>
                        <br />
                        <code className="webhook-log__snippet">{d.response.slice(0, 200)}</code>
                      </>
                    ) : null}
                  </td>
                  <td className="col-optional">
                    {d.nextAttemptAt ? shortDate(d.nextAttemptAt) : '—'}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      disabled={redeliver.isPending}
                      onClick={() => redeliver.mutate({ deliveryId: d.id })}
                      aria-label={`Redeliver event ${d.eventId}`}
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError message={errorMessage(redeliver.error)} />
      <form className="form webhook-log__replay" onSubmit={submitReplay} noValidate>
        <FormError message={errorMessage(replay.error)} />
        <TextField
          label="Replay from event id"
          name="fromEventId"
          type="number"
          min={1}
          required
          hint="Sends again, in order, every subscribed event from this id on (the parley-event-id header)."
        />
        <div>
          <button type="submit" className="button" disabled={replay.isPending}>
            Replay
          </button>
        </div>
        {replayed ? (
          <p className="form-success" role="status">
            {replayed}
          </p>
        ) : null}
      </form>
    </div>
  );
}
