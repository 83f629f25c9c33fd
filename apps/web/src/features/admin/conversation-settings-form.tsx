import { useId, useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError, TextAreaField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc, type RouterOutputs } from '../../trpc';

type Saved = RouterOutputs['channels']['conversationSettings'];

/** The server's limit on a closing message (after trimming). */
const closingMessageMax = 1000;
const count = new Intl.NumberFormat('en');

/** How long the closing message is, against the limit. */
function lengthCounter(length: number): { text: string; over: boolean } {
  const of = `${count.format(length)} of ${count.format(closingMessageMax)} characters`;
  if (length > closingMessageMax) {
    return {
      text: `${of}: ${count.format(length - closingMessageMax)} over the limit. Shorten it to save.`,
      over: true,
    };
  }
  return {
    text: length === 0 ? `${of}. Empty: closing a ticket sends nothing.` : of,
    over: false,
  };
}

/**
 * How WhatsApp and SMS conversations go, for both channels: whether the bot answers a new
 * conversation first, what closing a ticket sends, and the window in which a contact
 * writing again reopens their ticket. Saved in Parley over the server's environment.
 */
export function ConversationSettingsForm(props: {
  saved: Saved;
  /** A success message to show, or null: a new save began. */
  onDone: (message: string | null) => void;
}) {
  const utils = trpc.useUtils();
  const ids = { bot: useId(), botHint: useId() };
  const save = trpc.channels.saveConversationSettings.useMutation({
    onSuccess: () => utils.channels.conversationSettings.invalidate(),
  });
  const reset = trpc.channels.resetConversationSettings.useMutation({
    onSuccess: () => utils.channels.conversationSettings.invalidate(),
  });
  const [confirmReset, setConfirmReset] = useState(false);
  const errors = fieldErrorsOf(save.error);
  const [closingMessage, setClosingMessage] = useState(props.saved.closingMessage);
  // Edited since the server refused it: the counter shows again instead of the refusal.
  const [closingEdited, setClosingEdited] = useState(false);
  const counter = lengthCounter(closingMessage.trim().length);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onDone(null);
    setClosingEdited(false);
    const form = new FormData(event.currentTarget);
    const days = formText(form, 'reopenDays').trim();
    save.mutate(
      {
        botEnabled: form.get('botEnabled') === 'on',
        closingMessage,
        // Empty or not a number: the server says what it takes.
        reopenDays: days === '' ? Number.NaN : Number(days),
      },
      {
        onSuccess: () =>
          props.onDone('Saved: WhatsApp and SMS conversations use these settings now.'),
      },
    );
  }

  return (
    <>
      <form className="form" onSubmit={submit} noValidate aria-label="Conversation settings">
        <FormError message={errorMessage(save.error ?? reset.error)} />
        <div className="check-field">
          <input
            id={ids.bot}
            type="checkbox"
            name="botEnabled"
            aria-describedby={ids.botHint}
            defaultChecked={props.saved.botEnabled}
          />
          <label htmlFor={ids.bot}>Bot answers new conversations first</label>
        </div>
        <p id={ids.botHint} className="muted">
          When it has answers or help articles, the bot answers a contact’s first message and hands
          the ticket to the team when they ask for a person.
        </p>
        {errors.botEnabled ? (
          <p className="field__error" role="alert">
            {errors.botEnabled}
          </p>
        ) : null}
        <TextAreaField
          label="Closing message"
          name="closingMessage"
          rows={3}
          value={closingMessage}
          onChange={(e) => {
            setClosingMessage(e.target.value);
            setClosingEdited(true);
          }}
          hint={
            <span className={counter.over ? 'field__count--over' : undefined}>{counter.text}</span>
          }
          error={closingEdited ? undefined : errors.closingMessage}
        />
        <TextField
          label="Reopen a closed ticket when the contact writes within N days (0 = always start a new ticket)"
          name="reopenDays"
          type="number"
          inputMode="numeric"
          min={0}
          max={365}
          step={1}
          defaultValue={props.saved.reopenDays}
          hint="A whole number of days, from 0 to 365"
          error={errors.reopenDays}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {props.saved.source === 'saved' ? (
            <button
              type="button"
              className="button button--ghost"
              disabled={reset.isPending}
              onClick={() => setConfirmReset(true)}
            >
              Use the environment’s settings
            </button>
          ) : null}
        </div>
      </form>
      <ConfirmDialog
        open={confirmReset}
        title="Forget the saved conversation settings?"
        confirmLabel="Use the environment’s settings"
        onCancel={() => setConfirmReset(false)}
        onConfirm={() => {
          setConfirmReset(false);
          props.onDone(null);
          reset.mutate(undefined, {
            onSuccess: () =>
              props.onDone(
                'Reset: WhatsApp and SMS conversations use the server’s environment settings now.',
              ),
          });
        }}
      >
        The bot switch, closing message and reopen window go back to what the server’s environment
        sets (PARLEY_CHANNEL_BOT, PARLEY_CHANNEL_CLOSING_MESSAGE, PARLEY_CHANNEL_REOPEN_DAYS).
      </ConfirmDialog>
    </>
  );
}
