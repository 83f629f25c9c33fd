import { useEffect, useState, type FormEvent } from 'react';
import type { Ticket } from '../../api/types';
import { errorMessage } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { randomId } from '../../lib/uuid';
import { trpc } from '../../trpc';

/**
 * WhatsApp's 24-hour customer-service window, for the agent: whether a free-form reply
 * can go out now (re-checked whenever the contact writes), and the reason to show in the
 * composer when it cannot.
 */
export function useWhatsAppWindow(ticket: Ticket, lastCustomerSeq: number) {
  const whatsapp = ticket.channel === 'whatsapp';
  const composer = trpc.channels.composer.useQuery(
    { ticketId: ticket.id },
    { enabled: whatsapp, refetchInterval: 60_000 },
  );
  const { refetch } = composer;
  useEffect(() => {
    if (whatsapp && lastCustomerSeq > 0) void refetch();
  }, [whatsapp, lastCustomerSeq, refetch]);
  const closed = whatsapp && composer.data?.freeFormAllowed === false;
  return {
    closed,
    templates: composer.data?.templates ?? [],
    replyBlockedReason: closed
      ? 'The customer last wrote more than 24 hours ago: WhatsApp only allows an approved template now (below), or an internal note.'
      : null,
  };
}

type Template = ReturnType<typeof useWhatsAppWindow>['templates'][number];

/** Outside the window: pick an approved template, fill in its values, send it. */
export function TemplateSender({
  ticketId,
  templates,
}: {
  ticketId: string;
  templates: Template[];
}) {
  const [name, setName] = useState(templates[0]?.name ?? '');
  const [values, setValues] = useState<string[]>([]);
  const send = trpc.channels.sendTemplate.useMutation({ onSuccess: () => setValues([]) });
  const template = templates.find((t) => t.name === name);
  if (templates.length === 0) {
    return (
      <p className="banner banner--warning" role="status" data-testid="whatsapp-window">
        The customer last wrote more than 24 hours ago, and no WhatsApp templates are set up
        (PARLEY_WHATSAPP_TEMPLATES): you can write an internal note, or wait for them to write.
      </p>
    );
  }
  const preview = template
    ? template.body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => values[Number(n) - 1] || whole)
    : '';
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!template) return;
    send.mutate({
      ticketId,
      name: template.name,
      variables: Array.from({ length: template.variables }, (_, i) => values[i] ?? ''),
      clientId: randomId(),
    });
  }
  return (
    <form className="template-sender" onSubmit={submit} data-testid="whatsapp-window">
      <p className="muted">
        Outside WhatsApp’s 24-hour window: send an approved template to reopen the conversation.
      </p>
      <label className="field">
        <span className="field__label">Template</span>
        <select className="input" value={name} onChange={(e) => setName(e.target.value)}>
          {templates.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.language})
            </option>
          ))}
        </select>
      </label>
      {Array.from({ length: template?.variables ?? 0 }, (_, i) => (
        <TextField
          key={`${name}-${i}`}
          label={`Value {{${i + 1}}}`}
          required
          maxLength={1024}
          value={values[i] ?? ''}
          onChange={(e) => {
            const next = [...values];
            next[i] = e.target.value;
            setValues(next);
          }}
        />
      ))}
      <p className="template-sender__preview">{preview}</p>
      <FormError message={send.error ? errorMessage(send.error) : null} />
      <button type="submit" className="button button--primary" disabled={send.isPending}>
        {send.isPending ? 'Sending…' : 'Send template'}
      </button>
    </form>
  );
}
