import { useId, useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import type { Ticket } from '../../api/types';
import { FormError, TextAreaField } from '../../components/field';
import { formText } from '../../components/form-data';
import { StarIcon } from '../../components/icons';
import { trpc } from '../../trpc';

const scoreWords = ['', 'Very poor', 'Poor', 'Okay', 'Good', 'Excellent'];

/** Once a ticket is resolved or closed, the customer rates it 1–5 with an optional comment. */
export function RatingPanel({ ticket }: { ticket: Ticket }) {
  const utils = trpc.useUtils();
  const [score, setScore] = useState(0);
  const name = useId();
  const rate = trpc.tickets.rate.useMutation({
    onSuccess: (updated) => utils.tickets.byId.setData({ ticketId: ticket.id }, updated),
  });

  if (ticket.rating) {
    return (
      <div className="rating rating--done" data-testid="rating-done">
        <p className="rating__title">Thanks for your feedback</p>
        <p className="stars" role="img" aria-label={`You rated ${ticket.rating.score} out of 5`}>
          {[1, 2, 3, 4, 5].map((n) => (
            <StarIcon key={n} filled={n <= (ticket.rating?.score ?? 0)} size={18} />
          ))}
        </p>
        {ticket.rating.comment ? (
          <p className="rating__comment">“{ticket.rating.comment}”</p>
        ) : null}
      </div>
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const comment = formText(new FormData(event.currentTarget), 'comment').trim();
    if (score < 1) return;
    rate.mutate({ ticketId: ticket.id, score, ...(comment ? { comment } : {}) });
  }

  return (
    <form className="rating" onSubmit={submit} noValidate>
      <fieldset className="rating__fieldset">
        <legend className="rating__title">How did we do?</legend>
        <div className="stars stars--input">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={n <= score ? 'star star--on' : 'star'} title={scoreWords[n]}>
              <input
                type="radio"
                name={name}
                value={n}
                checked={score === n}
                onChange={() => setScore(n)}
                className="visually-hidden"
              />
              <StarIcon filled={n <= score} size={24} />
              <span className="visually-hidden">
                {n} star{n > 1 ? 's' : ''} ({scoreWords[n]})
              </span>
            </label>
          ))}
          <span className="rating__word" aria-hidden="true">
            {scoreWords[score]}
          </span>
        </div>
      </fieldset>
      <TextAreaField
        label="Comment (optional)"
        name="comment"
        rows={2}
        maxLength={2000}
        error={fieldErrorsOf(rate.error).comment}
      />
      <FormError message={errorMessage(rate.error)} />
      <div>
        <button
          type="submit"
          className="button button--primary"
          disabled={score < 1 || rate.isPending}
        >
          {rate.isPending ? 'Sending…' : 'Send rating'}
        </button>
      </div>
    </form>
  );
}
