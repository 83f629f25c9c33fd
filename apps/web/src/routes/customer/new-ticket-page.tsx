import {
  categories,
  categoryLabels,
  labelOptions,
  priorities,
  priorityLabels,
} from '@parley/contract';
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import type { Category, Priority } from '../../api/types';
import { FormError, SelectField, TextAreaField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { ArrowLeftIcon, PaperclipIcon } from '../../components/icons';
import { DraftFiles } from '../../features/attachments/draft-files';
import { useUploads } from '../../features/attachments/use-uploads';
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
  const files = useUploads();
  const fileInput = useRef<HTMLInputElement>(null);

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
      ...(files.ready.length ? { attachmentIds: files.ready.map((f) => f.id) } : {}),
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
      <form
        className="form card card--padded"
        onSubmit={submit}
        noValidate
        onDragOver={(event) => {
          if (event.dataTransfer.types.includes('Files')) event.preventDefault();
        }}
        onDrop={(event) => {
          if (!event.dataTransfer.types.includes('Files')) return;
          event.preventDefault();
          files.add(event.dataTransfer.files);
        }}
      >
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
        <div className="form__files">
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="attach-input"
            onChange={(event) => {
              if (event.target.files) files.add(event.target.files);
              event.target.value = '';
            }}
          />
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => fileInput.current?.click()}
          >
            <PaperclipIcon size={14} /> Attach files
          </button>
          <span className="muted">Photos, screenshots or documents (or drop them here)</span>
          <DraftFiles files={files.files} onRemove={files.remove} internal={false} />
          {errors.attachmentIds ? (
            <p className="inline-error" role="alert">
              {errors.attachmentIds}
            </p>
          ) : null}
        </div>
        <div className="form__actions">
          <Link to="/tickets" className="button button--ghost">
            Cancel
          </Link>
          <button
            type="submit"
            className="button button--primary"
            disabled={
              create.isPending || files.uploading || files.files.some((f) => f.state === 'failed')
            }
          >
            {create.isPending ? 'Submitting…' : files.uploading ? 'Uploading…' : 'Submit ticket'}
          </button>
        </div>
      </form>
    </section>
  );
}
