import { useId, useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError, TextAreaField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc, type RouterOutputs } from '../../trpc';

type Saved = RouterOutputs['channels']['settings'];
type Template = Saved['whatsapp']['templates'][number];

/** A write-only secret: empty, saying whether one is set (left empty, it is kept). */
export function SecretField(props: {
  label: string;
  name: string;
  /** Where the secret in use comes from, or null: none is set. */
  set: 'saved' | 'environment' | null;
  purpose?: string;
  error: string | undefined;
}) {
  return (
    <TextField
      label={props.label}
      name={props.name}
      type="password"
      autoComplete="off"
      hint={
        props.set === 'saved'
          ? 'Saved. Leave empty to keep it; it is never shown again.'
          : props.set === 'environment'
            ? 'Set in the server’s environment. Leave empty to keep it.'
            : props.purpose
      }
      error={props.error}
    />
  );
}

/**
 * A channel's provider settings, saved in Parley. Secrets are write-only: the form says
 * which are set and sends one only when it is typed in again.
 */
export function ChannelSettingsForm(props: {
  channel: 'whatsapp' | 'sms';
  saved: Saved;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const utils = trpc.useUtils();
  const headingId = useId();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const refresh = async () => {
    await Promise.all([utils.channels.settings.invalidate(), utils.channels.status.invalidate()]);
  };
  const save = trpc.channels.saveSettings.useMutation({ onSuccess: refresh });
  const remove = trpc.channels.removeSettings.useMutation({ onSuccess: refresh });
  const errors = fieldErrorsOf(save.error);
  const name = props.channel === 'whatsapp' ? 'WhatsApp' : 'SMS';
  const whatsapp = props.saved.whatsapp;
  const sms = props.saved.sms;
  const [templates, setTemplates] = useState<Template[]>(whatsapp.templates);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (key: string) => formText(form, key);
    const done = () => props.onDone(`Saved: ${name} uses these settings now.`);
    if (props.channel === 'whatsapp') {
      save.mutate(
        {
          channel: 'whatsapp',
          phoneNumberId: field('phoneNumberId'),
          accessToken: field('accessToken'),
          appSecret: field('appSecret'),
          verifyToken: field('verifyToken'),
          templates: templates.filter((t) => t.name || t.body),
        },
        { onSuccess: done },
      );
    } else {
      save.mutate(
        {
          channel: 'sms',
          accountSid: field('accountSid'),
          authToken: field('authToken'),
          from: field('from'),
        },
        { onSuccess: done },
      );
    }
  }

  const source = props.saved[props.channel].source;
  const secret = (name: string) => ({
    set: (props.saved[props.channel].secretsSet as string[]).includes(name) ? source : null,
    error: errors[name],
  });
  const editTemplate = (index: number, change: Partial<Template>) =>
    setTemplates((list) => list.map((t, i) => (i === index ? { ...t, ...change } : t)));

  return (
    <>
      <form className="form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <h3 id={headingId} className="card__title">
          {name} settings
        </h3>
        {source === 'environment' ? (
          <p className="muted">
            In use now: the server’s environment. Saving here replaces it for {name}; secrets left
            empty keep the environment’s.
          </p>
        ) : null}
        <FormError message={errorMessage(save.error) ?? errorMessage(remove.error)} />
        {props.channel === 'whatsapp' ? (
          <>
            <TextField
              label="Phone number ID"
              name="phoneNumberId"
              defaultValue={whatsapp.phoneNumberId}
              hint="WhatsApp Manager → API Setup: the ID of the number, not the number itself"
              required
              error={errors.phoneNumberId}
            />
            <SecretField label="Access token" name="accessToken" {...secret('accessToken')} />
            <SecretField
              label="App secret"
              name="appSecret"
              purpose="Checks the signature of Meta’s webhook calls"
              {...secret('appSecret')}
            />
            <SecretField
              label="Verify token"
              name="verifyToken"
              purpose="Any text you choose; enter the same in Meta’s webhook setup"
              {...secret('verifyToken')}
            />
            <fieldset className="field">
              <legend className="field__label">Message templates (approved at Meta)</legend>
              <p className="field__hint">
                Outside WhatsApp’s 24-hour window agents can send only these. Write {'{{1}}'},{' '}
                {'{{2}}'}… where the template’s values go.
              </p>
              {templates.map((template, index) => (
                <div className="template-editor" key={index}>
                  <div className="form__row">
                    <TextField
                      label={`Template ${index + 1} name`}
                      value={template.name}
                      placeholder="follow_up"
                      onChange={(e) => editTemplate(index, { name: e.target.value })}
                    />
                    <TextField
                      label={`Template ${index + 1} language`}
                      value={template.language}
                      onChange={(e) => editTemplate(index, { language: e.target.value })}
                    />
                  </div>
                  <TextAreaField
                    label={`Template ${index + 1} body`}
                    rows={2}
                    value={template.body}
                    placeholder="Hello {{1}}, we have news about your ticket."
                    onChange={(e) => editTemplate(index, { body: e.target.value })}
                  />
                  <div>
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      onClick={() => setTemplates((list) => list.filter((_, i) => i !== index))}
                    >
                      Remove template {index + 1}
                    </button>
                  </div>
                </div>
              ))}
              {errors.templates ? (
                <p className="field__error" role="alert">
                  Templates: {errors.templates}
                </p>
              ) : null}
              <div>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() =>
                    setTemplates((list) => [...list, { name: '', language: 'en_US', body: '' }])
                  }
                >
                  Add a template
                </button>
              </div>
            </fieldset>
          </>
        ) : (
          <>
            <TextField
              label="Account SID"
              name="accountSid"
              defaultValue={sms.accountSid}
              placeholder="AC…"
              required
              error={errors.accountSid}
            />
            <SecretField label="Auth Token" name="authToken" {...secret('authToken')} />
            <TextField
              label="Send from"
              name="from"
              defaultValue={sms.from}
              hint="Your Twilio number with its country code, or a Messaging Service SID (MG…)"
              required
              error={errors.from}
            />
          </>
        )}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
          <button type="button" className="button button--ghost" onClick={props.onCancel}>
            Cancel
          </button>
          {source === 'saved' ? (
            <button
              type="button"
              className="button button--danger"
              onClick={() => setConfirmRemove(true)}
            >
              Remove saved settings
            </button>
          ) : null}
        </div>
      </form>
      <ConfirmDialog
        open={confirmRemove}
        title={`Remove the saved ${name} settings?`}
        confirmLabel="Remove settings"
        onCancel={() => setConfirmRemove(false)}
        onConfirm={() => {
          setConfirmRemove(false);
          remove.mutate(
            { channel: props.channel },
            {
              onSuccess: () =>
                props.onDone(
                  `Removed: ${name} uses the server’s environment settings, if it has any.`,
                ),
            },
          );
        }}
      >
        {name} stops sending and receiving unless the server’s environment sets it up.
      </ConfirmDialog>
    </>
  );
}
