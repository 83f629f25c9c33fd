import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { WidgetForm, type Widget } from '../../features/admin/widget-form';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { trpc } from '../../trpc';

/** The one line a site pastes before `</body>`. */
export const embedSnippet = (siteKey: string) =>
  `<script src="${location.origin}/widget.js" data-site="${siteKey}" async></script>`;

/** The secret, shown once (after creating or rotating): the site's server signs user tokens with it. */
function SecretOnce({ secret }: { secret: string }) {
  return (
    <div className="form-success" role="status">
      <p>
        Identity-verification secret (shown this once; keep it on your server):{' '}
        <code data-testid="widget-secret">{secret}</code>
      </p>
    </div>
  );
}

function WidgetCard({ widget }: { widget: Widget }) {
  const utils = trpc.useUtils();
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const update = trpc.widgets.update.useMutation({
    onSuccess: (saved) => {
      if (saved.secret) setSecret(saved.secret);
      setEditing(false);
      void utils.widgets.list.invalidate();
    },
  });
  const snippetId = `snippet-${widget.id}`;
  return (
    <li className="card card--padded widget-card" data-testid="widget-card">
      <div className="widget-card__head">
        <span
          className="widget-card__swatch"
          style={{ background: widget.color }}
          aria-hidden="true"
        />
        <div>
          <h2 className="card__title">{widget.name}</h2>
          <p className="page__subtitle">
            {widget.enabled ? 'Enabled' : 'Disabled'} · {widget.allowedOrigins.join(', ')}
          </p>
        </div>
      </div>
      <label className="field__label" htmlFor={snippetId}>
        Embed snippet
      </label>
      <textarea
        id={snippetId}
        className="input input--area widget-card__snippet"
        readOnly
        rows={2}
        value={embedSnippet(widget.siteKey)}
        onFocus={(e) => e.currentTarget.select()}
      />
      {secret ? <SecretOnce secret={secret} /> : null}
      <div className="widget-card__actions">
        <button
          type="button"
          className="button button--ghost"
          onClick={() => setEditing((v) => !v)}
          aria-expanded={editing}
        >
          {editing ? 'Cancel' : 'Edit settings'}
        </button>
        <button
          type="button"
          className="button button--ghost"
          disabled={update.isPending}
          onClick={() => update.mutate({ widgetId: widget.id, rotateSecret: true })}
        >
          New secret
        </button>
      </div>
      {editing ? (
        <WidgetForm
          title={`Settings of ${widget.name}`}
          widget={widget}
          submitLabel="Save settings"
          busy={update.isPending}
          error={update.error}
          onSubmit={(settings) => update.mutate({ widgetId: widget.id, ...settings })}
        />
      ) : null}
    </li>
  );
}

/** Admins: the sites that embed the chat widget, their look, and the snippet to paste. */
export function WidgetsPage() {
  useDocumentTitle('Chat widget');
  const utils = trpc.useUtils();
  const widgets = trpc.widgets.list.useQuery();
  const [secret, setSecret] = useState<string | null>(null);
  const create = trpc.widgets.create.useMutation({
    onSuccess: (created) => {
      setSecret(created.secret);
      void utils.widgets.list.invalidate();
    },
  });

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Chat widget</h1>
          <p className="page__subtitle">
            Live chat on your own sites: visitors chat without an account; their chats arrive in the
            queue as tickets from the chat widget.
          </p>
        </div>
      </header>
      <div className="admin-grid">
        <div>
          {widgets.isPending ? (
            <PageLoading label="Loading widgets…" />
          ) : widgets.isError ? (
            <ErrorState
              message={errorMessage(widgets.error) ?? 'Could not load the widgets'}
              onRetry={() => void widgets.refetch()}
            />
          ) : widgets.data.length === 0 ? (
            <EmptyState title="No chat widget yet">Add one for your site with the form.</EmptyState>
          ) : (
            <ul className="widget-list">
              {widgets.data.map((widget) => (
                <WidgetCard key={widget.id} widget={widget} />
              ))}
            </ul>
          )}
        </div>
        <div>
          {secret ? <SecretOnce secret={secret} /> : null}
          <WidgetForm
            key={create.data?.id ?? 'new'}
            title="Add a site"
            submitLabel="Create widget"
            busy={create.isPending}
            error={create.error}
            onSubmit={(settings) => create.mutate(settings)}
          />
        </div>
      </div>
    </section>
  );
}
