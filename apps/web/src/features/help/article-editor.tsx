import {
  helpArticleStatuses,
  helpArticleStatusLabels,
  helpAudienceLabels,
  helpAudiences,
  labelOptions,
} from '@parley/contract';
import { useEffect, useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, SelectField, TextAreaField, TextField } from '../../components/field';
import { trpc, type RouterInputs, type RouterOutputs } from '../../trpc';
import { ArticleBody } from './article-body';
import { useDebounced } from './use-debounced';

export type HelpArticle = RouterOutputs['help']['articles']['byId'];
export type ArticleDraft = Omit<RouterInputs['help']['articles']['create'], 'slug'> & {
  slug: string;
};

export const emptyDraft: ArticleDraft = {
  title: '',
  slug: '',
  summary: '',
  body: '',
  audience: 'public',
  status: 'draft',
  position: 0,
  collectionId: null,
};

export function draftOf(article: HelpArticle): ArticleDraft {
  return {
    title: article.title,
    slug: article.slug,
    summary: article.summary,
    body: article.staff?.body ?? '',
    audience: article.audience,
    status: article.status,
    position: article.position,
    collectionId: article.collection?.id ?? null,
  };
}

/** The Markdown as readers will see it, rendered by the server as it renders the page. */
function Preview({ body }: { body: string }) {
  const settled = useDebounced(body, 300);
  const preview = trpc.help.articles.preview.useMutation();
  const { mutate } = preview;
  useEffect(() => {
    mutate({ body: settled });
  }, [settled, mutate]);
  return (
    <section className="article-editor__preview card card--padded" aria-label="Preview">
      <h2 className="help-section__title">Preview</h2>
      {preview.data ? <ArticleBody html={preview.data.html} /> : <p>Rendering…</p>}
    </section>
  );
}

/**
 * The article form of the workspace: Markdown on the left, its preview on the right.
 * `onSave` gets the whole draft; the page decides whether that creates or updates.
 */
export function ArticleEditor(props: {
  initial: ArticleDraft;
  saving: boolean;
  error: unknown;
  saved?: boolean;
  onSave: (draft: ArticleDraft) => void;
  extraActions?: React.ReactNode;
}) {
  const [draft, setDraft] = useState(props.initial);
  const collections = trpc.help.collections.list.useQuery();
  const errors = fieldErrorsOf(props.error);
  const set = <K extends keyof ArticleDraft>(key: K, value: ArticleDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSave(draft);
  }

  return (
    <div className="article-editor">
      <form className="form card card--padded" onSubmit={submit} noValidate>
        <FormError message={errorMessage(props.error)} />
        <TextField
          label="Title"
          name="title"
          required
          maxLength={200}
          value={draft.title}
          onChange={(event) => set('title', event.target.value)}
          error={errors.title}
        />
        <TextField
          label="Address"
          name="slug"
          maxLength={80}
          hint="The end of /help/…; made from the title when left empty."
          value={draft.slug}
          onChange={(event) => set('slug', event.target.value)}
          error={errors.slug}
        />
        <TextField
          label="Summary"
          name="summary"
          maxLength={300}
          hint="One or two sentences: shown in search results and suggestions."
          value={draft.summary}
          onChange={(event) => set('summary', event.target.value)}
          error={errors.summary}
        />
        <div className="form__row">
          <SelectField
            label="Collection"
            name="collectionId"
            value={draft.collectionId ?? ''}
            onChange={(event) => set('collectionId', event.target.value || null)}
            options={[
              { value: '', label: 'No collection' },
              ...(collections.data ?? []).map((c) => ({ value: c.id, label: c.title })),
            ]}
            error={errors.collectionId}
          />
          <SelectField
            label="Who can read it"
            name="audience"
            value={draft.audience}
            onChange={(event) => set('audience', event.target.value as ArticleDraft['audience'])}
            options={labelOptions(helpAudiences, helpAudienceLabels)}
            error={errors.audience}
          />
          <SelectField
            label="Status"
            name="status"
            value={draft.status}
            onChange={(event) => set('status', event.target.value as ArticleDraft['status'])}
            options={labelOptions(helpArticleStatuses, helpArticleStatusLabels)}
            error={errors.status}
          />
          <TextField
            label="Position"
            name="position"
            type="number"
            min={0}
            value={String(draft.position ?? 0)}
            onChange={(event) => set('position', Math.max(0, Number(event.target.value) || 0))}
            error={errors.position}
          />
        </div>
        <TextAreaField
          label="Body (Markdown)"
          name="body"
          required
          rows={18}
          maxLength={100_000}
          value={draft.body}
          onChange={(event) => set('body', event.target.value)}
          error={errors.body}
        />
        <div className="form__actions">
          {props.extraActions}
          {props.saved ? (
            <span role="status" className="article-editor__saved">
              Saved
            </span>
          ) : null}
          <button type="submit" className="button button--primary" disabled={props.saving}>
            {props.saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      <Preview body={draft.body} />
    </div>
  );
}
