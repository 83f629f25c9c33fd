import { useId, type ReactNode } from 'react';
import {
  categories,
  categoryLabels,
  priorityLabels,
  prioritiesMostUrgentFirst,
  staffRoles,
  statuses,
  statusLabels,
} from '@parley/contract';
import { errorMessage } from '../../api/errors';
import type { Category, Priority, Status, Ticket } from '../../api/types';
import { useUser } from '../auth/use-session';
import { trpc } from '../../trpc';

/** Updates a ticket's fields; the result (and the live event) refresh the page. */
export function useTicketUpdate(ticketId: string) {
  const utils = trpc.useUtils();
  return trpc.tickets.update.useMutation({
    onSuccess: (updated) => {
      utils.tickets.byId.setData({ ticketId }, updated);
      void utils.tickets.list.invalidate();
    },
  });
}

function Property(props: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="property">
      <label className="property__label" htmlFor={id}>
        {props.label}
      </label>
      {props.children(id)}
    </div>
  );
}

/** Status, priority, category and assignee controls, with "Assign to me" one click away. */
export function TicketProperties({ ticket }: { ticket: Ticket }) {
  const me = useUser();
  const update = useTicketUpdate(ticket.id);
  const agents = trpc.users.list.useQuery({ role: [...staffRoles] }, { staleTime: 60_000 });
  const assignable = (agents.data ?? []).filter(
    (agent) => !('disabled' in agent && agent.disabled),
  );
  const set = (fields: {
    status?: Status;
    priority?: Priority;
    category?: Category;
    assigneeId?: string | null;
  }) => update.mutate({ ticketId: ticket.id, ...fields });

  return (
    <section className="panel" aria-labelledby="properties-title">
      <h2 id="properties-title" className="panel__title">
        Properties
      </h2>
      <Property label="Status">
        {(id) => (
          <select
            id={id}
            className="input select"
            value={ticket.status}
            onChange={(e) => set({ status: e.target.value as Status })}
          >
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        )}
      </Property>
      <Property label="Priority">
        {(id) => (
          <select
            id={id}
            className="input select"
            value={ticket.priority}
            onChange={(e) => set({ priority: e.target.value as Priority })}
          >
            {prioritiesMostUrgentFirst.map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]}
              </option>
            ))}
          </select>
        )}
      </Property>
      <Property label="Category">
        {(id) => (
          <select
            id={id}
            className="input select"
            value={ticket.category}
            onChange={(e) => set({ category: e.target.value as Category })}
          >
            {categories.map((c) => (
              <option key={c} value={c}>
                {categoryLabels[c]}
              </option>
            ))}
          </select>
        )}
      </Property>
      <Property label="Assignee">
        {(id) => (
          <div className="property__assignee">
            <select
              id={id}
              className="input select"
              value={ticket.assignee?.id ?? ''}
              onChange={(e) => set({ assigneeId: e.target.value || null })}
            >
              <option value="">Unassigned</option>
              {ticket.assignee && !assignable.some((a) => a.id === ticket.assignee?.id) ? (
                <option value={ticket.assignee.id}>{ticket.assignee.name}</option>
              ) : null}
              {assignable.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.id === me.id ? `${agent.name} (me)` : agent.name}
                </option>
              ))}
            </select>
            {ticket.assignee?.id !== me.id ? (
              <button
                type="button"
                className="button button--small"
                onClick={() => set({ assigneeId: me.id })}
                disabled={update.isPending}
              >
                Assign to me
              </button>
            ) : null}
          </div>
        )}
      </Property>
      {update.error ? (
        <p className="inline-error" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
    </section>
  );
}
