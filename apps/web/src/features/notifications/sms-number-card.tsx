import { useState } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { trpc } from '../../trpc';

/**
 * The signed-in person's mobile number for SMS notifications: add it, type the code we
 * texted, remove it. Says so when SMS is not set up on the server (nothing to click).
 */
export function SmsNumberCard() {
  const utils = trpc.useUtils();
  const status = trpc.notifications.phone.get.useQuery();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const settle = {
    onSuccess: (next: NonNullable<typeof status.data>) => {
      utils.notifications.phone.get.setData(undefined, next);
      void utils.notifications.preferences.get.invalidate();
    },
  };
  const add = trpc.notifications.phone.add.useMutation({
    ...settle,
    onSuccess: (next) => {
      setCode('');
      settle.onSuccess(next);
    },
  });
  const verify = trpc.notifications.phone.verify.useMutation(settle);
  const remove = trpc.notifications.phone.remove.useMutation({
    ...settle,
    onSuccess: (next) => {
      setPhone('');
      settle.onSuccess(next);
    },
  });
  const data = status.data;
  const busy = add.isPending || verify.isPending || remove.isPending;
  const problem = add.error ?? verify.error ?? remove.error;
  const fields = fieldErrorsOf(problem);
  const formError = problem && !fields.phone && !fields.code ? errorMessage(problem) : null;

  let body;
  if (status.error) {
    body = <FormError message={errorMessage(status.error)} />;
  } else if (!data) {
    body = <p className="muted">Loading…</p>;
  } else if (!data.available) {
    body = (
      <p data-testid="sms-unavailable">
        SMS notifications are not available: text messages are not set up on this server.
      </p>
    );
  } else if (data.phone && data.verified) {
    body = (
      <div className="sms-number">
        <p data-testid="sms-number">
          Texts go to <strong>{data.phone}</strong> (verified).
        </p>
        {data.optedOut ? (
          <p className="banner banner--warning" role="status" data-testid="sms-opted-out">
            This number replied STOP, so Parley sends it no texts. Text START to us from it to get
            them again.
          </p>
        ) : null}
        <FormError message={formError} />
        <button
          type="button"
          className="button button--ghost button--small"
          disabled={busy}
          onClick={() => remove.mutate()}
        >
          Remove number
        </button>
      </div>
    );
  } else if (data.phone && data.codePending) {
    body = (
      <form
        className="sms-number"
        onSubmit={(event) => {
          event.preventDefault();
          verify.mutate({ code });
        }}
      >
        <p>
          We texted a 6-digit code to <strong>{data.phone}</strong>. It expires in 10 minutes.
        </p>
        <TextField
          label="Code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          error={fields.code}
          onChange={(event) => setCode(event.target.value)}
          required
        />
        <FormError message={formError} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            Verify number
          </button>
          <button
            type="button"
            className="button button--ghost"
            disabled={busy}
            onClick={() => add.mutate({ phone: data.phone ?? '' })}
          >
            Send a new code
          </button>
          <button
            type="button"
            className="button button--ghost"
            disabled={busy}
            onClick={() => remove.mutate()}
          >
            Use another number
          </button>
        </div>
      </form>
    );
  } else {
    body = (
      <form
        className="sms-number"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate({ phone });
        }}
      >
        <TextField
          label="Mobile number"
          name="phone"
          type="tel"
          autoComplete="tel"
          maxLength={40}
          value={phone}
          error={fields.phone}
          hint="With the country code, like +1 415 555 0123. We text it a code to check it is yours."
          onChange={(event) => setPhone(event.target.value)}
          required
        />
        <FormError message={formError} />
        <button type="submit" className="button button--primary" disabled={busy}>
          Text me a code
        </button>
      </form>
    );
  }

  return (
    <section className="card card--padded" aria-labelledby="sms-number-title">
      <h2 className="card__title" id="sms-number-title">
        Text messages (SMS)
      </h2>
      {body}
    </section>
  );
}
