import { useId, useState } from 'react';
import { Link } from 'react-router';
import { SearchIcon } from '../../components/icons';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { errorMessage } from '../../api/errors';
import { ArticleList, type HelpArticleSummary } from '../../features/help/article-list';
import { StillNeedHelp } from '../../features/help/still-need-help';
import { useDebounced } from '../../features/help/use-debounced';
import { useHelpHead } from '../../features/help/use-help-head';
import { trpc } from '../../trpc';

function SearchResults({ q }: { q: string }) {
  const results = trpc.help.articles.list.useQuery(
    { q, limit: 20 },
    { placeholderData: (previous) => previous },
  );
  if (results.error)
    return (
      <ErrorState
        message={errorMessage(results.error) ?? ''}
        onRetry={() => void results.refetch()}
      />
    );
  if (!results.data) return <PageLoading label="Searching…" />;
  const items = results.data.items;
  return (
    <section aria-labelledby="results-title" aria-live="polite" className="help-section">
      <h2 id="results-title" className="help-section__title">
        {items.length === 0 ? 'No answers found' : `Answers for “${q}”`}
      </h2>
      {items.length === 0 ? (
        <EmptyState title="Try other words">
          Or <Link to="/tickets/new">ask our team</Link>.
        </EmptyState>
      ) : (
        <ArticleList articles={items} />
      )}
    </section>
  );
}

function Collections() {
  const collections = trpc.help.collections.list.useQuery();
  const articles = trpc.help.articles.list.useQuery({ limit: 100 });
  const error = collections.error ?? articles.error;
  if (error)
    return (
      <ErrorState
        message={errorMessage(error) ?? ''}
        onRetry={() => {
          void collections.refetch();
          void articles.refetch();
        }}
      />
    );
  if (!collections.data || !articles.data) return <PageLoading />;
  const byCollection = new Map<string | null, HelpArticleSummary[]>();
  for (const article of articles.data.items) {
    const key = article.collection?.id ?? null;
    byCollection.set(key, [...(byCollection.get(key) ?? []), article]);
  }
  const loose = byCollection.get(null) ?? [];
  const sections = collections.data
    .map((collection) => ({ collection, items: byCollection.get(collection.id) ?? [] }))
    .filter((section) => section.items.length > 0);
  if (sections.length === 0 && loose.length === 0)
    return <EmptyState title="No articles yet">Our team is writing them.</EmptyState>;
  return (
    <>
      {sections.map(({ collection, items }) => (
        <section
          key={collection.id}
          id={collection.slug}
          className="help-section"
          aria-labelledby={`collection-${collection.slug}`}
        >
          <h2 id={`collection-${collection.slug}`} className="help-section__title">
            {collection.title}
          </h2>
          {collection.description ? (
            <p className="help-section__description">{collection.description}</p>
          ) : null}
          <ArticleList articles={items} />
          {collection.articleCount > items.length ? (
            <p className="help-section__description">
              {collection.articleCount - items.length} more: search to find them.
            </p>
          ) : null}
        </section>
      ))}
      {loose.length > 0 ? (
        <section className="help-section" aria-labelledby="collection-more">
          <h2 id="collection-more" className="help-section__title">
            More answers
          </h2>
          <ArticleList articles={loose} />
        </section>
      ) : null}
    </>
  );
}

/** `/help`: the help centre, for everyone: collections, and search as you type. */
export function HelpHomePage() {
  useHelpHead('Help centre', 'Answers to the questions we hear most often.');
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 200);
  const searchId = useId();
  return (
    <section className="page page--narrow help-page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Help centre</h1>
          <p className="page__subtitle">Answers to the questions we hear most often.</p>
        </div>
      </header>
      <div className="search search--large" role="search">
        <label htmlFor={searchId} className="visually-hidden">
          Search the help centre
        </label>
        <SearchIcon className="search__icon" />
        <input
          id={searchId}
          type="search"
          className="input search__input"
          placeholder="Search for an answer…"
          autoComplete="off"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {q ? <SearchResults q={q} /> : <Collections />}
      <StillNeedHelp />
    </section>
  );
}
