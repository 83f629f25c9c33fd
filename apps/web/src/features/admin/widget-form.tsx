import { labelOptions, widgetPositionLabels, widgetPositions } from '@parley/contract';
import { useId, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import type { RouterOutputs } from '../../trpc';
import { FormError, SelectField, TextAreaField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';

export type Widget = RouterOutputs['widgets']['list'][number];
export type WidgetSettings = {
  name: string;
  allowedOrigins: string[];
  title: string;
  color: string;
  greeting: string;
  position: Widget['position'];
  requirePhone: boolean;
  enabled: boolean;
  botEnabled: boolean;
};

const positionOptions = labelOptions(widgetPositions, widgetPositionLabels);

/** One origin a line (or comma-separated). */
const originsOf = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((origin) => origin.trim())
    .filter(Boolean);

/** A site's chat widget settings: for creating one and for editing it. */
export function WidgetForm(props: {
  title: string;
  widget?: Widget;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (settings: WidgetSettings, form: HTMLFormElement) => void;
}) {
  const { widget } = props;
  const errors = fieldErrorsOf(props.error);
  const headingId = useId();
  const checkIds = { phone: useId(), enabled: useId(), bot: useId(), botHint: useId() };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    props.onSubmit(
      {
        name: formText(form, 'name'),
        allowedOrigins: originsOf(formText(form, 'allowedOrigins')),
        title: formText(form, 'title'),
        color: formText(form, 'color'),
        greeting: formText(form, 'greeting'),
        position: formText(form, 'position') as Widget['position'],
        requirePhone: form.get('requirePhone') === 'on',
        enabled: form.get('enabled') === 'on',
        botEnabled: form.get('botEnabled') === 'on',
      },
      event.currentTarget,
    );
  }

  return (
    <form
      className="form card card--padded"
      onSubmit={submit}
      noValidate
      aria-labelledby={headingId}
    >
      <h2 id={headingId} className="card__title">
        {props.title}
      </h2>
      <FormError message={errorMessage(props.error)} />
      <TextField
        label="Name"
        name="name"
        required
        defaultValue={widget?.name}
        error={errors.name}
      />
      <TextAreaField
        label="Allowed origins"
        name="allowedOrigins"
        rows={3}
        required
        defaultValue={widget?.allowedOrigins.join('\n')}
        hint="The sites that may show the chat, one a line: https://shop.example"
        error={errors.allowedOrigins}
      />
      <TextField
        label="Title"
        name="title"
        defaultValue={widget?.title ?? 'Chat with us'}
        error={errors.title}
      />
      <TextField
        label="Colour"
        name="color"
        type="color"
        defaultValue={widget?.color ?? '#2563eb'}
        error={errors.color}
      />
      <TextAreaField
        label="Greeting"
        name="greeting"
        rows={2}
        defaultValue={
          widget?.greeting ?? 'Hi! Ask us anything — we usually reply in a few minutes.'
        }
        error={errors.greeting}
      />
      <SelectField
        label="Position"
        name="position"
        defaultValue={widget?.position ?? 'right'}
        options={positionOptions}
        error={errors.position}
      />
      <div className="check-field">
        <input
          id={checkIds.phone}
          type="checkbox"
          name="requirePhone"
          defaultChecked={widget?.requirePhone ?? false}
        />
        <label htmlFor={checkIds.phone}>Ask for a phone number (required)</label>
      </div>
      <div className="check-field">
        <input
          id={checkIds.enabled}
          type="checkbox"
          name="enabled"
          defaultChecked={widget?.enabled ?? true}
        />
        <label htmlFor={checkIds.enabled}>Enabled</label>
      </div>
      <div className="check-field">
        <input
          id={checkIds.bot}
          type="checkbox"
          name="botEnabled"
          aria-describedby={checkIds.botHint}
          defaultChecked={widget?.botEnabled ?? true}
        />
        <label htmlFor={checkIds.bot}>Bot answers first</label>
      </div>
      <p id={checkIds.botHint} className="muted">
        The bot answers from the help centre and the bot answers, and hands the chat to the team
        when the visitor asks for a person.
      </p>
      <div>
        <button type="submit" className="button button--primary" disabled={props.busy}>
          {props.busy ? 'Saving…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
