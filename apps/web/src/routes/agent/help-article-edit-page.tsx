import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, isNotFound } from '../../api/errors';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ArrowLeftIcon } from '../../components/icons';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { useUser } from '../../features/auth/use-session';
import {
  ArticleEditor,
  draftOf,
  emptyDraft,
  type ArticleDraft,
} from '../../features/help/article-editor';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { trpc } from '../../trpc';

/** Sends the address only when one was typed (otherwise the server makes it from the title). */
const withoutEmptySlug = ({ slug, ...rest }: ArticleDraft) =>
  slug.trim() ? { ...rest, slug } : rest;

const back = (
  <Link to="/agent/help" className="back-link">
    <ArrowLeftIcon size={14} /> Help centre
  </Link>
);

/** `/agent/help/new`: write an article. */
export function NewHelpArticlePage() {
  useDocumentTitle('New article');
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const create = trpc.help.articles.create.useMutation({
    onSuccess: (article) => {
      void utils.help.invalidate();
      void navigate(`/agent/help/${article.id}`, { replace: true });
    },
  });
  return (
    <section className="page page--wide">
      {back}
      <header className="page__header">
        <h1 className="page__title">New article</h1>
      </header>
      <ArticleEditor
        initial={emptyDraft}
        saving={create.isPending}
        error={create.error}
        onSave={(draft) => create.mutate(withoutEmptySlug(draft))}
      />
    </section>
  );
}

/** `/agent/help/:articleId`: edit an article; admins may delete it. */
export function EditHelpArticlePage() {
  const { articleId = '' } = useParams();
  const user = useUser();
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const [confirming, setConfirming] = useState(false);
  const article = trpc.help.articles.byId.useQuery(
    { articleId },
    { retry: (count, error) => !isNotFound(error) && count < 3 },
  );
  useDocumentTitle(article.data ? `Edit: ${article.data.title}` : 'Article');
  const update = trpc.help.articles.update.useMutation({
    onSuccess: (saved) => {
      utils.help.articles.byId.setData({ articleId }, saved);
      void utils.help.articles.list.invalidate();
    },
  });
  const remove = trpc.help.articles.delete.useMutation({
    onSuccess: () => {
      void utils.help.invalidate();
      void navigate('/agent/help', { replace: true });
    },
  });

  if (article.error) {
    return (
      <section className="page page--wide">
        {back}
        {isNotFound(article.error) ? (
          <EmptyState title="This article does not exist" />
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
  const data = article.data;
  return (
    <section className="page page--wide">
      {back}
      <header className="page__header">
        <div>
          <h1 className="page__title">{data.title}</h1>
          <p className="page__subtitle">
            {data.status === 'published' ? (
              <Link to={`/help/${data.slug}`}>/help/{data.slug}</Link>
            ) : (
              'Draft: not visible to customers yet.'
            )}
          </p>
        </div>
      </header>
      <ArticleEditor
        key={data.id}
        initial={draftOf(data)}
        saving={update.isPending}
        saved={update.isSuccess}
        error={update.error ?? remove.error}
        onSave={(draft) => update.mutate({ articleId: data.id, ...withoutEmptySlug(draft) })}
        extraActions={
          user.role === 'admin' ? (
            <button
              type="button"
              className="button button--danger"
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          ) : null
        }
      />
      <ConfirmDialog
        open={confirming}
        title={`Delete “${data.title}”?`}
        confirmLabel="Delete article"
        onConfirm={() => {
          setConfirming(false);
          remove.mutate({ articleId: data.id });
        }}
        onCancel={() => setConfirming(false)}
      >
        Readers will no longer find it, and bot answers pointing to it lose their link.
      </ConfirmDialog>
    </section>
  );
}
