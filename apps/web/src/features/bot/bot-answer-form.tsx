import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, SelectField, TextAreaField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc, type RouterOutputs } from '../../trpc';

export type BotAnswer = RouterOutputs['bot']['answers']['list'][number];

/** One phrasing per line in the form; the API takes a list. */
const phrasingsOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * Writes or edits one bot answer: what it is about, example phrasings (one per line),
 * the reply and optionally the article it points to.
 */
export function BotAnswerForm({ answer, onDone }: { answer?: BotAnswer; onDone?: () => void }) {
  const utils = trpc.useUtils();
  const articles = trpc.help.articles.list.useQuery({ limit: 100 });
  const [enabled, setEnabled] = useState(answer?.enabled ?? true);
  const done = {
    onSuccess: () => {
      void utils.bot.answers.list.invalidate();
      onDone?.();
    },
  };
  const create = trpc.bot.answers.create.useMutation(done);
  const update = trpc.bot.answers.update.useMutation(done);
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const errors = fieldErrorsOf(error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const fields = {
      name: formText(data, 'name'),
      phrasings: phrasingsOf(formText(data, 'phrasings')),
      reply: formText(data, 'reply'),
      articleId: formText(data, 'articleId') || null,
      enabled,
    };
    if (answer) update.mutate({ answerId: answer.id, ...fields });
    else create.mutate(fields, { onSuccess: () => form.reset() });
  }

  const title = answer ? `Edit “${answer.name}”` : 'New answer';
  return (
    <form className="form card card--padded" onSubmit={submit} noValidate aria-label={title}>
      <h2 className="card__title">{title}</h2>
      <FormError message={errorMessage(error)} />
      <TextField
        label="What it is about"
        name="name"
        required
        maxLength={100}
        defaultValue={answer?.name}
        error={errors.name}
      />
      <TextAreaField
        label="Example phrasings or keywords (one per line)"
        name="phrasings"
        required
        rows={4}
        defaultValue={answer?.phrasings.join('\n')}
        error={errors.phrasings}
      />
      <TextAreaField
        label="Reply"
        name="reply"
        required
        rows={3}
        maxLength={2000}
        defaultValue={answer?.reply}
        error={errors.reply}
      />
      <SelectField
        label="Article (optional)"
        name="articleId"
        defaultValue={answer?.article?.id ?? ''}
        options={[
          { value: '', label: 'No article' },
          ...(articles.data?.items ?? []).map((a) => ({ value: a.id, label: a.title })),
        ]}
        error={errors.articleId}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(event) => setEnabled(event.target.checked)}
        />{' '}
        The bot may use this answer
      </label>
      <div className="form__actions">
        {onDone ? (
          <button type="button" className="button button--ghost" onClick={onDone}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? 'Saving…' : answer ? 'Save' : 'Add answer'}
        </button>
      </div>
    </form>
  );
}
