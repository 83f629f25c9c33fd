import { errorMessage } from '../../api/errors';
import { trpc } from '../../trpc';

/** "Was this helpful? Yes / No": one answer per visit of the page, counted on the server. */
export function HelpfulFeedback({ articleId }: { articleId: string }) {
  const feedback = trpc.help.articles.feedback.useMutation();
  if (feedback.isSuccess) {
    return (
      <p className="helpful" role="status">
        Thanks for letting us know.
      </p>
    );
  }
  const answer = (helpful: boolean) => feedback.mutate({ articleId, helpful });
  return (
    <div className="helpful" role="group" aria-labelledby="helpful-question">
      <span id="helpful-question">Was this helpful?</span>
      <button
        type="button"
        className="button button--small"
        disabled={feedback.isPending}
        onClick={() => answer(true)}
      >
        Yes
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={feedback.isPending}
        onClick={() => answer(false)}
      >
        No
      </button>
      {feedback.error ? (
        <span className="helpful__error" role="alert">
          {errorMessage(feedback.error)}
        </span>
      ) : null}
    </div>
  );
}
