import { useState } from 'react';
import { Link } from 'react-router';
import { trpc } from '../../trpc';
import { ArticleBody } from './article-body';
import { useDebounced } from './use-debounced';

function OpenedArticle({ slug }: { slug: string }) {
  const article = trpc.help.articles.bySlug.useQuery({ slug });
  if (!article.data) return <p className="deflection__loading">Loading…</p>;
  return (
    <div className="deflection__article">
      <ArticleBody html={article.data.html} />
      <Link to={`/help/${slug}`} target="_blank" rel="noopener">
        Open in the help centre
      </Link>
    </div>
  );
}

/**
 * The best three articles for the subject being typed, under the subject field. Opening
 * one shows it in place and tells `onOpen` (the form then knows it may be deflected).
 */
export function DeflectionSuggestions({
  subject,
  onOpen,
}: {
  subject: string;
  onOpen: (articleId: string) => void;
}) {
  const text = useDebounced(subject.trim(), 300);
  const [openSlug, setOpenSlug] = useState<string | null>(null);
  const suggestions = trpc.help.suggest.useQuery(
    { text, limit: 3 },
    { enabled: text.length >= 3, placeholderData: (previous) => previous },
  );
  const items = text.length >= 3 ? (suggestions.data?.items ?? []) : [];
  if (items.length === 0) return null;
  return (
    <section className="deflection" aria-labelledby="deflection-title" aria-live="polite">
      <h2 id="deflection-title" className="deflection__title">
        These articles may answer your question
      </h2>
      <ul className="deflection__list">
        {items.map(({ article }) => {
          const open = openSlug === article.slug;
          return (
            <li key={article.id} className="deflection__item">
              <button
                type="button"
                className="deflection__toggle"
                aria-expanded={open}
                onClick={() => {
                  setOpenSlug(open ? null : article.slug);
                  if (!open) onOpen(article.id);
                }}
              >
                {article.title}
              </button>
              {article.summary ? <p className="deflection__summary">{article.summary}</p> : null}
              {open ? <OpenedArticle slug={article.slug} /> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
