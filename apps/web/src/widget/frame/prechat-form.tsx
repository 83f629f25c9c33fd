import { useId, useState, type FormEvent } from 'react';
import { randomId } from '../../lib/uuid';
import {
  errorCodeOf,
  fieldErrorsOf,
  type ChatClient,
  type ChatConfig,
  type ChatTicket,
} from './chat-client';

type Props = {
  client: ChatClient;
  config: ChatConfig;
  hostOrigin: string;
  pageUrl: string | null;
  /** The host vouched for the visitor: only the message is asked for. */
  userToken: string | null;
  onStarted: (started: { guestToken: string; ticket: ChatTicket }) => void;
};

type Field = 'name' | 'email' | 'phone' | 'message';

/** Name, email, phone (per site) and the first message; errors next to their field. */
export function PrechatForm({ client, config, hostOrigin, pageUrl, userToken, onStarted }: Props) {
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One clientId per chat attempt: a retry after a lost answer gives the same ticket.
  const [clientId] = useState(randomId);
  const id = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: Field) => {
      const raw = data.get(name);
      return typeof raw === 'string' ? raw.trim() : '';
    };
    const local: Partial<Record<Field, string>> = {};
    if (!userToken) {
      if (!value('name')) local.name = 'Enter your name';
      if (!value('email')) local.email = 'Enter your email';
    }
    if (config.requirePhone && !value('phone')) local.phone = 'Enter your phone number';
    if (!value('message')) local.message = 'Write your message';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) {
      focusFirst(event.currentTarget, local);
      return;
    }
    setBusy(true);
    try {
      const started = await client.widget.start.mutate({
        siteKey: config.siteKey,
        hostOrigin,
        message: value('message'),
        clientId,
        ...(userToken ? { userToken } : { name: value('name'), email: value('email') }),
        ...(value('phone') ? { phone: value('phone') } : {}),
        ...(pageUrl ? { pageUrl } : {}),
      });
      onStarted(started);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      const server: Partial<Record<Field, string>> = {};
      for (const field of ['name', 'email', 'phone', 'message'] as const) {
        if (fields[field]?.[0]) server[field] = fields[field][0];
      }
      setErrors(server);
      if (Object.keys(server).length) focusFirst(event.currentTarget, server);
      else
        setFormError(
          errorCodeOf(error) === 'TOO_MANY_REQUESTS'
            ? (error as Error).message
            : 'The chat could not start. Try again in a moment.',
        );
    } finally {
      setBusy(false);
    }
  }

  const field = (name: Field, label: string, input: React.ReactNode, hint?: string) => (
    <div className="chat-field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {input}
      {hint && !errors[name] ? (
        <p className="chat-field__hint" id={`${id}-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors[name] ? (
        <p className="chat-field__error" id={`${id}-${name}-error`} role="alert">
          {errors[name]}
        </p>
      ) : null}
    </div>
  );
  const describedBy = (name: Field, hint = false) =>
    errors[name] ? `${id}-${name}-error` : hint ? `${id}-${name}-hint` : undefined;

  return (
    <form
      className="chat-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label="Start a chat"
    >
      {!userToken ? (
        <>
          {field(
            'name',
            'Name',
            <input
              id={`${id}-name`}
              name="name"
              autoComplete="name"
              maxLength={100}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy('name')}
            />,
          )}
          {field(
            'email',
            'Email',
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete="email"
              maxLength={254}
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={describedBy('email')}
            />,
          )}
        </>
      ) : null}
      {field(
        'phone',
        config.requirePhone ? 'Phone' : 'Phone (optional)',
        <input
          id={`${id}-phone`}
          name="phone"
          type="tel"
          autoComplete="tel"
          maxLength={40}
          placeholder="+44 20 7946 0958"
          aria-invalid={errors.phone ? true : undefined}
          aria-describedby={describedBy('phone', true)}
        />,
        'With the country code',
      )}
      {field(
        'message',
        'Message',
        <textarea
          id={`${id}-message`}
          name="message"
          rows={3}
          maxLength={10_000}
          aria-invalid={errors.message ? true : undefined}
          aria-describedby={describedBy('message')}
        />,
      )}
      {formError ? (
        <p className="chat-form__error" role="alert">
          {formError}
        </p>
      ) : null}
      <button type="submit" className="chat-button" disabled={busy}>
        {busy ? 'Starting…' : 'Start chat'}
      </button>
    </form>
  );
}

function focusFirst(form: HTMLFormElement, errors: Partial<Record<Field, string>>) {
  const first = (['name', 'email', 'phone', 'message'] as const).find((name) => errors[name]);
  if (first) form.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
}
