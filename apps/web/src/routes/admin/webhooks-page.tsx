import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError } from '../../components/field';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { WebhookDeliveries } from '../../features/admin/webhook-deliveries';
import { WebhookForm } from '../../features/admin/webhook-form';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { trpc, type RouterOutputs } from '../../trpc';

type Endpoint = RouterOutputs['webhooks']['list'][number];

/** The signing secret, shown once after creating: the receiver verifies every request with it. */
function SecretOnce({ secret }: { secret: string }) {
  return (
    <div className="form-success" role="status">
      <p>
        Signing secret (shown this once; keep it in the receiving app):{' '}
        <code className="webhook-secret" data-testid="webhook-secret">
          {secret}
        </code>
      </p>
    </div>
  );
}

function EndpointCard({ endpoint }: { endpoint: Endpoint }) {
  const utils = trpc.useUtils();
  const [showLog, setShowLog] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => void utils.webhooks.list.invalidate();
  const update = trpc.webhooks.update.useMutation({ onSuccess: refresh });
  const remove = trpc.webhooks.delete.useMutation({ onSuccess: refresh });
  const status = endpoint.enabled
    ? 'Enabled'
    : endpoint.disabledReason
      ? `Switched off: ${endpoint.disabledReason}`
      : 'Disabled';
  return (
    <li className="card card--padded widget-card" data-testid="webhook-card">
      <div>
        <h2 className="card__title webhook-card__url">{endpoint.url}</h2>
        <p className="page__subtitle">
          {status}
          {endpoint.description ? ` · ${endpoint.description}` : ''}
          {endpoint.allowPrivateNetwork ? ' · private network allowed' : ''}
        </p>
        <p className="muted">
          Events:{' '}
          {endpoint.events.map((type) => (
            <code key={type}>{type} </code>
          ))}
        </p>
      </div>
      <FormError message={errorMessage(update.error ?? remove.error)} />
      <div className="widget-card__actions">
        <button
          type="button"
          className="button button--ghost"
          onClick={() => setShowLog((v) => !v)}
          aria-expanded={showLog}
        >
          {showLog ? 'Hide delivery log' : 'Delivery log'}
        </button>
        <button
          type="button"
          className="button button--ghost"
          disabled={update.isPending}
          onClick={() => update.mutate({ endpointId: endpoint.id, enabled: !endpoint.enabled })}
        >
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          className="button button--ghost"
          disabled={remove.isPending}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
      </div>
      {showLog ? <WebhookDeliveries endpointId={endpoint.id} /> : null}
      <ConfirmDialog
        open={confirming}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          remove.mutate({ endpointId: endpoint.id });
        }}
      >
        <p>
          {endpoint.url} stops receiving webhooks at once, and its delivery log is deleted. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </li>
  );
}

/** `/admin/webhooks`: the endpoints of other apps that receive signed webhooks. */
export function WebhooksPage() {
  useDocumentTitle('Webhooks');
  const utils = trpc.useUtils();
  const endpoints = trpc.webhooks.list.useQuery();
  const [secret, setSecret] = useState<string | null>(null);
  const create = trpc.webhooks.create.useMutation({
    onSuccess: (created) => {
      setSecret(created.secret);
      void utils.webhooks.list.invalidate();
    },
  });

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Webhooks</h1>
          <p className="page__subtitle">
            Other apps hear about tickets and messages as they happen: each request is signed
            (Standard Webhooks), retried for about a day, and logged here.
          </p>
        </div>
      </header>
      <div className="admin-grid">
        <div>
          {endpoints.isPending ? (
            <PageLoading label="Loading endpoints…" />
          ) : endpoints.isError ? (
            <ErrorState
              message={errorMessage(endpoints.error) ?? 'Could not load the endpoints'}
              onRetry={() => void endpoints.refetch()}
            />
          ) : endpoints.data.length === 0 ? (
            <EmptyState title="No endpoint yet">Add one with the form.</EmptyState>
          ) : (
            <ul className="widget-list">
              {endpoints.data.map((endpoint) => (
                <EndpointCard key={endpoint.id} endpoint={endpoint} />
              ))}
            </ul>
          )}
        </div>
        <div>
          {secret ? <SecretOnce secret={secret} /> : null}
          <WebhookForm
            key={create.data?.id ?? 'new'}
            busy={create.isPending}
            error={create.error}
            onSubmit={(input) => create.mutate(input)}
          />
        </div>
      </div>
    </section>
  );
}
