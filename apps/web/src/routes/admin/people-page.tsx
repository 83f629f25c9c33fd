import { keepPreviousData } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { CreateUserForm } from '../../features/admin/create-user-form';
import { PeopleTable } from '../../features/admin/people-table';
import { roleFilters } from '../../features/admin/roles';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { trpc } from '../../trpc';

/** Shown at once; a search finds anyone beyond them. */
const shown = 100;

/**
 * Everyone with an account, customers included: filter by role (kept in the address),
 * search by name or email, change roles either way, disable and enable.
 */
export function PeoplePage() {
  useDocumentTitle('People');
  const ids = { show: useId(), search: useId() };
  const [params, setParams] = useSearchParams();
  const filter = roleFilters.find((f) => f.value === params.get('role')) ?? roleFilters[0]!;
  const [q, setQ] = useState('');
  const search = useDeferredValue(q.trim());
  const people = trpc.users.list.useQuery(
    {
      ...(filter.roles ? { role: filter.roles } : {}),
      ...(search ? { q: search } : {}),
      limit: shown + 1,
    },
    { placeholderData: keepPreviousData },
  );

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">People</h1>
          <p className="page__subtitle">
            Customers, agents and admins. Agents answer tickets; admins also manage people.
          </p>
        </div>
      </header>
      <div className="admin-grid">
        <div>
          <div className="people-toolbar" role="search">
            <div className="field">
              <label className="field__label" htmlFor={ids.show}>
                Show
              </label>
              <select
                id={ids.show}
                className="input select"
                value={filter.value}
                onChange={(e) => setParams(e.target.value ? { role: e.target.value } : {})}
              >
                {roleFilters.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field people-toolbar__search">
              <label className="field__label" htmlFor={ids.search}>
                Search people
              </label>
              <input
                id={ids.search}
                type="search"
                className="input"
                placeholder="Name or email"
                value={q}
                onChange={(e) => setQ(e.target.value)}
              />
            </div>
          </div>
          {people.isPending ? (
            <PageLoading label="Loading people…" />
          ) : people.isError ? (
            <ErrorState
              message={errorMessage(people.error) ?? 'Could not load people'}
              onRetry={() => void people.refetch()}
            />
          ) : people.data.length === 0 ? (
            <EmptyState title="Nobody matches">Try another name, email or role.</EmptyState>
          ) : (
            <>
              <PeopleTable users={people.data.slice(0, shown)} />
              {people.data.length > shown ? (
                <p className="people__more">
                  Showing the first {shown} by name. Search to find anyone else.
                </p>
              ) : null}
            </>
          )}
        </div>
        <CreateUserForm />
      </div>
    </section>
  );
}
