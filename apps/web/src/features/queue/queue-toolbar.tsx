import {
  categories,
  categoryLabels,
  channelLabels,
  channels,
  priorityLabels,
  prioritiesMostUrgentFirst,
  statuses,
  statusLabels,
  type Channel,
} from '@parley/contract';
import { useEffect, useId, useState, type RefObject } from 'react';
import type { Category, Priority } from '../../api/types';
import { SearchIcon } from '../../components/icons';
import {
  botFilterLabel,
  botFilters,
  hasActiveFilters,
  sortLabel,
  sorts,
  type AssigneeFilter,
  type BotFilter,
  type QueueFilters,
  type Sort,
} from './queue-filters';

type Props = {
  filters: QueueFilters;
  onChange: (next: QueueFilters, options?: { replace?: boolean }) => void;
  searchRef?: RefObject<HTMLInputElement | null>;
};

const assigneeOptions: { value: AssigneeFilter; label: string }[] = [
  { value: 'anyone', label: 'Anyone' },
  { value: 'me', label: 'Me' },
  { value: 'unassigned', label: 'Unassigned' },
];

/** Search, status chips and the other filters of the queue. */
export function QueueToolbar({ filters, onChange, searchRef }: Props) {
  const ids = {
    search: useId(),
    priority: useId(),
    category: useId(),
    channel: useId(),
    bot: useId(),
    sort: useId(),
  };
  const [q, setQ] = useState(filters.q);

  // Typing updates the URL after a pause (replacing the entry, so Back is not flooded).
  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [q, filters, onChange]);

  // Back/forward or "Clear" changes the query from outside.
  const [seenQ, setSeenQ] = useState(filters.q);
  if (filters.q !== seenQ) {
    setSeenQ(filters.q);
    setQ(filters.q);
  }

  const toggleStatus = (status: (typeof statuses)[number]) => {
    const next = filters.status.includes(status)
      ? filters.status.filter((s) => s !== status)
      : [...filters.status, status];
    onChange({ ...filters, status: statuses.filter((s) => next.includes(s)) });
  };

  return (
    <div className="toolbar" role="search">
      <div className="toolbar__row">
        <div className="search">
          <label htmlFor={ids.search} className="visually-hidden">
            Search tickets
          </label>
          <SearchIcon className="search__icon" />
          <input
            id={ids.search}
            ref={searchRef}
            type="search"
            className="input search__input"
            placeholder="Search subject, description and messages…"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') onChange({ ...filters, q });
            }}
          />
          <kbd className="search__kbd" aria-hidden="true">
            /
          </kbd>
        </div>
        <div className="segmented" role="group" aria-label="Assignee">
          {assigneeOptions.map((option) => (
            <button
              key={option.value}
              type="button"
              className={
                filters.assignee === option.value
                  ? 'segmented__item segmented__item--active'
                  : 'segmented__item'
              }
              aria-pressed={filters.assignee === option.value}
              onClick={() => onChange({ ...filters, assignee: option.value })}
            >
              {option.label}
            </button>
          ))}
        </div>
      </div>
      <div className="toolbar__row">
        <div className="chips" role="group" aria-label="Status">
          {statuses.map((status) => (
            <button
              key={status}
              type="button"
              className={
                filters.status.includes(status) ? `chip chip--active chip--${status}` : 'chip'
              }
              aria-pressed={filters.status.includes(status)}
              onClick={() => toggleStatus(status)}
            >
              {statusLabels[status]}
            </button>
          ))}
        </div>
        <div className="toolbar__selects">
          <label className="visually-hidden" htmlFor={ids.priority}>
            Priority
          </label>
          <select
            id={ids.priority}
            className="input select select--compact"
            value={filters.priority ?? ''}
            onChange={(event) =>
              onChange({ ...filters, priority: (event.target.value || null) as Priority | null })
            }
          >
            <option value="">Any priority</option>
            {prioritiesMostUrgentFirst.map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor={ids.category}>
            Category
          </label>
          <select
            id={ids.category}
            className="input select select--compact"
            value={filters.category ?? ''}
            onChange={(event) =>
              onChange({ ...filters, category: (event.target.value || null) as Category | null })
            }
          >
            <option value="">Any category</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {categoryLabels[c]}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor={ids.channel}>
            Channel
          </label>
          <select
            id={ids.channel}
            className="input select select--compact"
            value={filters.channel ?? ''}
            onChange={(event) =>
              onChange({ ...filters, channel: (event.target.value || null) as Channel | null })
            }
          >
            <option value="">Any channel</option>
            {channels.map((c) => (
              <option key={c} value={c}>
                {channelLabels[c]}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor={ids.bot}>
            Bot
          </label>
          <select
            id={ids.bot}
            className="input select select--compact"
            value={filters.bot}
            onChange={(event) => onChange({ ...filters, bot: event.target.value as BotFilter })}
          >
            {botFilters.map((b) => (
              <option key={b} value={b}>
                {botFilterLabel[b]}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor={ids.sort}>
            Sort
          </label>
          <select
            id={ids.sort}
            className="input select select--compact"
            value={filters.sort}
            onChange={(event) => onChange({ ...filters, sort: event.target.value as Sort })}
          >
            {sorts.map((s) => (
              <option key={s} value={s}>
                {sortLabel[s]}
              </option>
            ))}
          </select>
          {hasActiveFilters(filters) ? (
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() =>
                onChange({
                  status: [],
                  priority: null,
                  category: null,
                  channel: null,
                  assignee: 'anyone',
                  bot: 'hide',
                  q: '',
                  sort: filters.sort,
                })
              }
            >
              Clear filters
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
