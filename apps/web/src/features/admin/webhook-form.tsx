import { useId, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import type { RouterInputs } from '../../trpc';

export type NewWebhook = RouterInputs['webhooks']['create'];
type WebhookEventType = NewWebhook['events'][number];

/** The event types an endpoint may subscribe to, as admins read them. */
export const webhookEventLabels: Record<WebhookEventType, string> = {
  'ticket.created': 'Ticket created',
  'ticket.updated': 'Ticket changed (status, priority, category, assignee)',
  'message.created': 'Public message (customer or team reply)',
  'message.read': 'Thread read',
  'message.delivery': 'WhatsApp/SMS delivery status (sent, delivered, read, failed)',
  'ticket.rated': 'Ticket rated',
  'note.created': 'Internal note (agents only: sent only when ticked)',
};

const eventTypes = Object.keys(webhookEventLabels) as WebhookEventType[];

/** Registers an endpoint: URL, what it hears about, and whether it may be on a private network. */
export function WebhookForm(props: {
  busy: boolean;
  error: unknown;
  onSubmit: (input: NewWebhook) => void;
}) {
  const errors = fieldErrorsOf(props.error);
  const headingId = useId();
  const ids = { privateNet: useId(), privateHint: useId(), eventsError: useId() };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const description = formText(form, 'description');
    props.onSubmit({
      url: formText(form, 'url'),
      events: form.getAll('events').map(String) as WebhookEventType[],
      ...(description ? { description } : {}),
      allowPrivateNetwork: form.get('allowPrivateNetwork') === 'on',
    });
  }

  return (
    <form
      className="form card card--padded"
      onSubmit={submit}
      noValidate
      aria-labelledby={headingId}
    >
      <h2 id={headingId} className="card__title">
        Add an endpoint
      </h2>
      <FormError message={errorMessage(props.error)} />
      <TextField
        label="URL"
        name="url"
        type="url"
        required
        placeholder="https://crm.example/parley-hooks"
        error={errors.url}
      />
      <TextField label="Description" name="description" error={errors.description} />
      <fieldset
        className="field choice-group"
        aria-describedby={errors.events ? ids.eventsError : undefined}
      >
        <legend className="field__label">Events</legend>
        {eventTypes.map((type) => (
          <label key={type} className="checkbox">
            <input
              type="checkbox"
              name="events"
              value={type}
              defaultChecked={type !== 'note.created'}
            />
            <span>
              {webhookEventLabels[type]} <code className="muted">{type}</code>
            </span>
          </label>
        ))}
        {errors.events ? (
          <p id={ids.eventsError} className="field__error" role="alert">
            {errors.events}
          </p>
        ) : null}
      </fieldset>
      <div className="check-field">
        <input
          id={ids.privateNet}
          type="checkbox"
          name="allowPrivateNetwork"
          aria-describedby={ids.privateHint}
        />
        <label htmlFor={ids.privateNet}>Allow a private network address</label>
      </div>
      <p id={ids.privateHint} className="muted">
        Off, Parley refuses URLs that resolve to loopback, link-local or private addresses (for a
        receiver inside your own network, switch it on).
      </p>
      <div>
        <button type="submit" className="button button--primary" disabled={props.busy}>
          {props.busy ? 'Adding…' : 'Add endpoint'}
        </button>
      </div>
    </form>
  );
}
