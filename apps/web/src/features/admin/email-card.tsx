import { useId, useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc, type RouterOutputs } from '../../trpc';
import { SecretField } from './channel-settings-form';
import { SettingsNotices, TestResult } from './settings-notices';

type EmailSettings = RouterOutputs['channels']['settings']['email'];

/**
 * Email on `/admin/channels`: where mail goes (an SMTP server, or kept in Parley), the
 * From address and the support address, saved here over the server's environment (the
 * SMTP URL is write-only, as it may hold a password), whether Parley receives mail, and
 * a test email.
 */
export function EmailCard({ email }: { email: EmailSettings }) {
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <article className="card card--padded" aria-labelledby="channel-email">
      <h2 className="card__title" id="channel-email">
        Email{' '}
        <span className={email.sendMail ? 'tag' : 'tag tag--muted'}>
          {email.sendMail ? 'Sending' : 'Kept in Parley'}
        </span>
      </h2>
      <SettingsNotices
        problem={email.problem}
        meanwhile="The environment’s apply until they are saved again."
        done={done}
      />
      {editing ? (
        <EmailSettingsForm
          email={email}
          onDone={(message) => {
            setDone(message);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <p className="muted">
            {email.source === 'saved'
              ? 'Settings saved here.'
              : 'Settings from the server’s environment (PARLEY_SMTP_URL, PARLEY_MAIL_FROM, PARLEY_SUPPORT_ADDRESS).'}
          </p>
          <p>
            {email.smtpServer ? (
              <>
                Mail goes through <code>{email.smtpServer}</code>
              </>
            ) : (
              'No SMTP server: every email is kept in Parley, listed under Outgoing mail.'
            )}
          </p>
          <p>
            Sends as <code>{email.mailFrom}</code>
          </p>
          <p>
            {email.receivesMail
              ? email.supportAddress && (
                  <>
                    Customers write to <code>{email.supportAddress}</code>: a new mail opens a
                    ticket, replies to notifications join theirs.
                  </>
                )
              : 'Parley is not receiving mail: set PARLEY_SMTP_IN_PORT and PARLEY_SUPPORT_ADDRESS and route mail to that port (docs/email-in.md).'}
          </p>
          <div>
            <button
              type="button"
              className="button"
              onClick={() => {
                setDone(null);
                setEditing(true);
              }}
            >
              Edit settings
            </button>
          </div>
          {email.sendMail ? <TestEmail /> : null}
        </>
      )}
    </article>
  );
}

function EmailSettingsForm(props: {
  email: EmailSettings;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { email } = props;
  const utils = trpc.useUtils();
  const ids = { heading: useId(), send: useId() };
  const [sendMail, setSendMail] = useState(email.sendMail);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const refresh = () => utils.channels.settings.invalidate();
  const save = trpc.channels.saveSettings.useMutation({ onSuccess: refresh });
  const remove = trpc.channels.removeSettings.useMutation({ onSuccess: refresh });
  const errors = fieldErrorsOf(save.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate(
      {
        channel: 'email',
        sendMail,
        smtpUrl: formText(form, 'smtpUrl'),
        mailFrom: formText(form, 'mailFrom'),
        supportAddress: formText(form, 'supportAddress'),
      },
      { onSuccess: () => props.onDone('Saved: email uses these settings now.') },
    );
  }

  return (
    <>
      <form className="form" onSubmit={submit} noValidate aria-labelledby={ids.heading}>
        <h3 id={ids.heading} className="card__title">
          Email settings
        </h3>
        {email.source === 'environment' ? (
          <p className="muted">
            In use now: the server’s environment. Saving here replaces it; an SMTP server left empty
            keeps the one in use.
          </p>
        ) : null}
        <FormError message={errorMessage(save.error) ?? errorMessage(remove.error)} />
        <div className="check-field">
          <input
            id={ids.send}
            type="checkbox"
            checked={sendMail}
            onChange={(e) => setSendMail(e.target.checked)}
          />
          <label htmlFor={ids.send}>Send mail through an SMTP server</label>
        </div>
        {sendMail ? (
          <SecretField
            label="SMTP server"
            name="smtpUrl"
            set={email.smtpServer ? (email.source ?? 'environment') : null}
            purpose="smtp://user:password@smtp.example.com:587 (smtps:// for TLS on connect)"
            error={errors.smtpUrl}
          />
        ) : (
          <p className="muted">
            Every email is kept in Parley, listed for admins under Outgoing mail, and nothing is
            sent.
          </p>
        )}
        <TextField
          label="Send as"
          name="mailFrom"
          defaultValue={email.mailFrom}
          hint="The From of every email: Support <support@example.com>"
          required
          error={errors.mailFrom}
        />
        <TextField
          label="Support address"
          name="supportAddress"
          type="email"
          defaultValue={email.supportAddress}
          hint={
            email.receivesMail
              ? 'The address customers write to: mail to it opens a ticket'
              : 'Used once Parley receives mail (PARLEY_SMTP_IN_PORT)'
          }
          error={errors.supportAddress}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
          <button type="button" className="button button--ghost" onClick={props.onCancel}>
            Cancel
          </button>
          {email.source === 'saved' ? (
            <button
              type="button"
              className="button button--ghost"
              disabled={remove.isPending}
              onClick={() => setConfirmRemove(true)}
            >
              Use the environment’s settings
            </button>
          ) : null}
        </div>
      </form>
      <ConfirmDialog
        open={confirmRemove}
        title="Use the environment’s email settings?"
        confirmLabel="Use the environment’s settings"
        onCancel={() => setConfirmRemove(false)}
        onConfirm={() => {
          setConfirmRemove(false);
          remove.mutate(
            { channel: 'email' },
            {
              onSuccess: () =>
                props.onDone('Reset: email uses the server’s environment settings now.'),
            },
          );
        }}
      >
        The settings saved here are forgotten. Without PARLEY_SMTP_URL in the server’s environment,
        mail is then kept in Parley instead of sent.
      </ConfirmDialog>
    </>
  );
}

/** A test email to an address (the admin's own by default) through the SMTP server in use. */
function TestEmail() {
  const me = trpc.auth.me.useQuery();
  const [to, setTo] = useState<string | null>(null);
  const send = trpc.channels.sendTest.useMutation();
  const errors = fieldErrorsOf(send.error);
  const address = to ?? me.data?.email ?? '';
  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate({ channel: 'email', to: address });
  }
  return (
    <form className="form form--inline" onSubmit={submit} aria-label="Send a test email">
      <TextField
        label="Send a test email to"
        type="email"
        value={address}
        required
        onChange={(e) => setTo(e.target.value)}
        error={errors.to}
      />
      <FormError message={send.error && !errors.to ? errorMessage(send.error) : null} />
      {send.data ? <TestResult result={send.data} by="the SMTP server" /> : null}
      <button type="submit" className="button" disabled={send.isPending}>
        {send.isPending ? 'Sending…' : 'Send test'}
      </button>
    </form>
  );
}
