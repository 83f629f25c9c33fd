import { helpArticleStatusLabels } from '@parley/contract';
import { Link } from 'react-router';
import type { RouterOutputs } from '../../trpc';

export type HelpArticleSummary = RouterOutputs['help']['articles']['list']['items'][number];

/** Articles as links to their pages, with their summaries; drafts flagged (agents only see them). */
export function ArticleList({ articles }: { articles: HelpArticleSummary[] }) {
  return (
    <ul className="article-list">
      {articles.map((article) => (
        <li key={article.id} className="article-list__item">
          <Link to={`/help/${article.slug}`} className="article-list__title">
            {article.title}
          </Link>
          {article.status === 'draft' ? (
            <span className="badge">{helpArticleStatusLabels.draft}</span>
          ) : null}
          {article.summary ? <p className="article-list__summary">{article.summary}</p> : null}
        </li>
      ))}
    </ul>
  );
}
