import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { BotAnswerForm, type BotAnswer } from '../../features/bot/bot-answer-form';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { trpc } from '../../trpc';

/**
 * `/admin/bot`: the answers the bot may give (admins). An answer is an intent — example
 * phrasings or keywords — with its reply and, optionally, the article it points to.
 */
export function BotAnswersPage() {
  useDocumentTitle('Bot answers');
  const utils = trpc.useUtils();
  const answers = trpc.bot.answers.list.useQuery();
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<BotAnswer | null>(null);
  const remove = trpc.bot.answers.delete.useMutation({
    onSuccess: () => void utils.bot.answers.list.invalidate(),
  });

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Bot answers</h1>
          <p className="page__subtitle">
            What the bot answers when a question matches one of the phrasings; it also answers from
            the <Link to="/agent/help">help centre</Link>.
          </p>
        </div>
      </header>
      <div className="admin-grid">
        <div>
          {answers.error ? (
            <ErrorState
              message={errorMessage(answers.error) ?? ''}
              onRetry={() => void answers.refetch()}
            />
          ) : !answers.data ? (
            <PageLoading />
          ) : answers.data.length === 0 ? (
            <EmptyState title="No answers yet" />
          ) : (
            <ul className="article-list">
              {answers.data.map((answer) =>
                editing === answer.id ? (
                  <li key={answer.id} className="article-list__item">
                    <BotAnswerForm answer={answer} onDone={() => setEditing(null)} />
                  </li>
                ) : (
                  <li key={answer.id} className="article-list__item" data-testid="bot-answer">
                    <strong>{answer.name}</strong>
                    <span>
                      {answer.enabled ? null : <span className="badge">Off</span>}{' '}
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => setEditing(answer.id)}
                      >
                        Edit
                      </button>{' '}
                      <button
                        type="button"
                        className="button button--small button--danger"
                        onClick={() => setDeleting(answer)}
                      >
                        Delete
                      </button>
                    </span>
                    <p className="article-list__summary">“{answer.phrasings.join('”, “')}”</p>
                    <p className="article-list__summary">
                      {answer.reply}
                      {answer.article ? (
                        <>
                          {' '}
                          → <Link to={`/help/${answer.article.slug}`}>{answer.article.title}</Link>
                        </>
                      ) : null}
                    </p>
                  </li>
                ),
              )}
            </ul>
          )}
        </div>
        <BotAnswerForm />
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete answer"
        onConfirm={() => {
          if (deleting) remove.mutate({ answerId: deleting.id });
          setDeleting(null);
        }}
        onCancel={() => setDeleting(null)}
      >
        The bot will no longer give this reply.
      </ConfirmDialog>
    </section>
  );
}
