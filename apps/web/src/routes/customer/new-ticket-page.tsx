import {
  categories,
  categoryLabels,
  labelOptions,
  priorities,
  priorityLabels,
} from '@parley/contract';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import type { Category, Priority } from '../../api/types';
import { FormError, SelectField, TextAreaField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { ArrowLeftIcon } from '../../components/icons';
import { DeflectionSuggestions } from '../../features/help/deflection-suggestions';
import { useDeflection } from '../../features/help/use-deflection';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { randomId } from '../../lib/uuid';
import { trpc } from '../../trpc';

export function NewTicketPage() {
  useDocumentTitle('New ticket');
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  // One id per form: submitting twice (or retrying after a network error) opens one ticket.
  const [clientId] = useState(randomId);
  const [subject, setSubject] = useState('');
  const deflection = useDeflection();
  const create = trpc.tickets.create.useMutation({
    onSuccess: (ticket) => {
      deflection.ticketCreated();
      void utils.tickets.list.invalidate();
      void navigate(`/tickets/${ticket.id}`, { replace: true });
    },
  });
  const errors = fieldErrorsOf(create.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const orderRef = formText(form, 'orderRef').trim();
    create.mutate({
      subject: formText(form, 'subject'),
      description: formText(form, 'description'),
      category: formText(form, 'category') as Category,
      priority: formText(form, 'priority') as Priority,
      ...(orderRef ? { orderRef } : {}),
      clientId,
    });
  }

  return (
    <section className="page page--narrow">
      <Link to="/tickets" className="back-link">
        <ArrowLeftIcon size={14} /> My tickets
      </Link>
      <header className="page__header">
        <div>
          <h1 className="page__title">New ticket</h1>
          <p className="page__subtitle">
            Tell us what happened. We usually reply within a few hours.
          </p>
        </div>
      </header>
      <form className="form card card--padded" onSubmit={submit} noValidate>
        <FormError message={errorMessage(create.error)} />
        <TextField
          label="Subject"
          name="subject"
          required
          maxLength={200}
          placeholder="A short summary"
          autoComplete="off"
          value={subject}
          onChange={(event) => setSubject(event.target.value)}
          error={errors.subject}
        />
        <DeflectionSuggestions subject={subject} onOpen={deflection.articleOpened} />
        <div className="form__row">
          <SelectField
            label="Category"
            name="category"
            defaultValue="general"
            options={labelOptions(categories, categoryLabels)}
            error={errors.category}
          />
          <SelectField
            label="Priority"
            name="priority"
            defaultValue="medium"
            options={labelOptions(priorities, priorityLabels)}
            error={errors.priority}
          />
        </div>
        <TextField
          label="Order reference (optional)"
          name="orderRef"
          maxLength={64}
          placeholder="e.g. A-10293"
          error={errors.orderRef}
        />
        <TextAreaField
          label="Description"
          name="description"
          required
          rows={8}
          maxLength={10_000}
          placeholder="What did you expect, and what happened instead?"
          error={errors.description}
        />
        <div className="form__actions">
          <Link to="/tickets" className="button button--ghost">
            Cancel
          </Link>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {create.isPending ? 'Submitting…' : 'Submit ticket'}
          </button>
        </div>
      </form>
    </section>
  );
}
