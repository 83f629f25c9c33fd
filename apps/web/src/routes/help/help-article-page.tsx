import { Link, useParams } from 'react-router';
import { errorMessage, isNotFound } from '../../api/errors';
import { ArrowLeftIcon } from '../../components/icons';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { useMe } from '../../features/auth/use-session';
import { ArticleBody } from '../../features/help/article-body';
import { HelpfulFeedback } from '../../features/help/helpful-feedback';
import { StillNeedHelp } from '../../features/help/still-need-help';
import { useHelpHead } from '../../features/help/use-help-head';
import { shortDate } from '../../lib/time';
import { trpc } from '../../trpc';

/** `/help/:slug`: one article, readable without signing in when it is public. */
export function HelpArticlePage() {
  const { slug = '' } = useParams();
  const me = useMe();
  const article = trpc.help.articles.bySlug.useQuery(
    { slug },
    { retry: (count, error) => !isNotFound(error) && count < 3 },
  );
  useHelpHead(article.data?.title ?? 'Help centre', article.data?.summary);

  const back = (
    <Link to="/help" className="back-link">
      <ArrowLeftIcon size={14} /> Help centre
    </Link>
  );
  if (article.error) {
    return (
      <section className="page page--narrow">
        {back}
        {isNotFound(article.error) ? (
          <EmptyState title="This article is not here">
            It may have moved, or be for signed-in customers only.{' '}
            {me ? null : <Link to="/signin">Sign in</Link>}
          </EmptyState>
        ) : (
          <ErrorState
            message={errorMessage(article.error) ?? ''}
            onRetry={() => void article.refetch()}
          />
        )}
      </section>
    );
  }
  if (!article.data) return <PageLoading />;
  const { data } = article;
  return (
    <article className="page page--narrow help-article">
      {back}
      <header className="page__header">
        <div>
          {data.collection ? (
            <p className="help-article__collection">
              <Link to={`/help#${data.collection.slug}`}>{data.collection.title}</Link>
            </p>
          ) : null}
          <h1 className="page__title">{data.title}</h1>
          {data.summary ? <p className="page__subtitle">{data.summary}</p> : null}
        </div>
        {data.staff ? (
          <Link to={`/agent/help/${data.id}`} className="button button--small">
            Edit
          </Link>
        ) : null}
      </header>
      {data.status === 'draft' ? <p className="badge">Draft: only the team sees it</p> : null}
      <ArticleBody html={data.html} />
      <p className="help-article__updated">Updated {shortDate(data.updatedAt)}</p>
      <HelpfulFeedback key={data.id} articleId={data.id} />
      <StillNeedHelp />
    </article>
  );
}
