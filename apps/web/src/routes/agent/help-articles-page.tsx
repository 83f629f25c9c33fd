import { helpArticleStatusLabels, helpAudienceLabels } from '@parley/contract';
import { keepPreviousData } from '@tanstack/react-query';
import { useDeferredValue, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { PlusIcon, SearchIcon } from '../../components/icons';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { shortDate } from '../../lib/time';
import { trpc, type RouterOutputs } from '../../trpc';

function NewCollectionForm() {
  const utils = trpc.useUtils();
  const create = trpc.help.collections.create.useMutation({
    onSuccess: () => void utils.help.collections.list.invalidate(),
  });
  const errors = fieldErrorsOf(create.error);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    create.mutate(
      { title: formText(data, 'title'), description: formText(data, 'description') },
      { onSuccess: () => form.reset() },
    );
  }
  return (
    <form className="form card card--padded" onSubmit={submit} noValidate>
      <h2 className="help-section__title">New collection</h2>
      <FormError message={errorMessage(create.error)} />
      <div className="form__row">
        <TextField
          label="Title"
          name="title"
          required
          maxLength={100}
          error={errors.title ?? errors.slug}
        />
        <TextField
          label="Description (optional)"
          name="description"
          maxLength={300}
          error={errors.description}
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={create.isPending}>
          Add collection
        </button>
      </div>
    </form>
  );
}

type OutcomeRow = RouterOutputs['help']['stats']['deflected'][number];

function OutcomeList({ title, rows, empty }: { title: string; rows: OutcomeRow[]; empty: string }) {
  return (
    <section className="card card--padded help-outcomes" aria-label={title}>
      <h2 className="card__title">{title}</h2>
      {rows.length === 0 ? (
        <p className="help-section__description">{empty}</p>
      ) : (
        <ol className="help-outcomes__list">
          {rows.map((row) => (
            <li key={row.article.id}>
              <Link to={`/agent/help/${row.article.id}`}>{row.article.title}</Link>{' '}
              <span className="help-outcomes__count">{row.count}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * What customers read in the new-ticket form over 30 days: the articles that answered
 * them, and those after which they wrote anyway (the ones to improve first).
 */
function Outcomes() {
  const stats = trpc.help.stats.useQuery();
  if (!stats.data) return null;
  return (
    <div className="help-outcomes-grid">
      <OutcomeList
        title="Answered the question (30 days)"
        rows={stats.data.deflected}
        empty="No customer has left the new-ticket form after reading an article yet."
      />
      <OutcomeList
        title="Read, then wrote a ticket anyway"
        rows={stats.data.ticketAnyway}
        empty="Nobody wrote a ticket after reading a suggested article."
      />
    </div>
  );
}

/** Shown at once; a search finds any other. */
const shown = 100;

/** `/agent/help`: every article, drafts included, with how readers rated them. */
export function HelpArticlesPage() {
  useDocumentTitle('Help centre');
  const searchId = useId();
  const [q, setQ] = useState('');
  const search = useDeferredValue(q.trim());
  const articles = trpc.help.articles.list.useQuery(
    { ...(search ? { q: search } : {}), limit: shown },
    { placeholderData: keepPreviousData },
  );
  const collections = trpc.help.collections.list.useQuery();

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Help centre</h1>
          <p className="page__subtitle">
            Articles customers read at <Link to="/help">/help</Link> and see while they write a
            ticket.
          </p>
        </div>
        <Link to="/agent/help/new" className="button button--primary">
          <PlusIcon /> New article
        </Link>
      </header>
      <Outcomes />
      <div className="search">
        <label htmlFor={searchId} className="visually-hidden">
          Search articles
        </label>
        <SearchIcon className="search__icon" />
        <input
          id={searchId}
          type="search"
          className="input search__input"
          placeholder="Search articles…"
          value={q}
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      {articles.error ? (
        <ErrorState
          message={errorMessage(articles.error) ?? ''}
          onRetry={() => void articles.refetch()}
        />
      ) : !articles.data ? (
        <PageLoading />
      ) : articles.data.items.length === 0 ? (
        <EmptyState title={search ? 'No articles match' : 'No articles yet'} />
      ) : (
        <div className="card table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Collection</th>
                <th scope="col">Audience</th>
                <th scope="col">Status</th>
                <th scope="col">Helpful</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {articles.data.items.map((article) => (
                <tr key={article.id}>
                  <td>
                    <Link to={`/agent/help/${article.id}`}>{article.title}</Link>
                  </td>
                  <td>{article.collection?.title ?? '—'}</td>
                  <td>{helpAudienceLabels[article.audience]}</td>
                  <td>
                    <span className="badge">{helpArticleStatusLabels[article.status]}</span>
                  </td>
                  <td>
                    {article.staff
                      ? `${article.staff.helpfulCount} yes · ${article.staff.notHelpfulCount} no`
                      : '—'}
                  </td>
                  <td>
                    {shortDate(article.updatedAt)}
                    {article.staff?.updatedBy ? ` by ${article.staff.updatedBy.name}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {articles.data.items.length === shown ? (
            <p className="help-section__description">
              The first {shown} articles: search to find the others.
            </p>
          ) : null}
        </div>
      )}
      <section className="help-section" aria-labelledby="collections-title">
        <h2 id="collections-title" className="help-section__title">
          Collections
        </h2>
        {collections.data ? (
          <ul className="article-list">
            {collections.data.map((collection) => (
              <li key={collection.id} className="article-list__item">
                <strong>{collection.title}</strong> · {collection.articleCount}{' '}
                {collection.articleCount === 1 ? 'article' : 'articles'}
                {collection.description ? (
                  <p className="article-list__summary">{collection.description}</p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        <NewCollectionForm />
      </section>
    </section>
  );
}
