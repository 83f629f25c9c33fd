import { categories, channels, priorities, statuses, type Channel } from '@parley/contract';
import type { RouterInputs } from '../../trpc';
import type { Category, Priority, Status } from '../../api/types';

export const sorts = ['updated_desc', 'created_desc', 'priority_desc'] as const;
export type Sort = (typeof sorts)[number];
export const sortLabel: Record<Sort, string> = {
  updated_desc: 'Recently updated',
  created_desc: 'Newest first',
  priority_desc: 'Highest priority',
};

export type AssigneeFilter = 'anyone' | 'me' | 'unassigned';

/** The chats the bot is still answering: left out (the default), only them, or all. */
export const botFilters = ['hide', 'only', 'all'] as const;
export type BotFilter = (typeof botFilters)[number];
export const botFilterLabel: Record<BotFilter, string> = {
  hide: 'Without bot chats',
  only: 'Bot chats',
  all: 'With bot chats',
};

/** The queue's filters; they live in the URL so a view can be bookmarked and shared. */
export type QueueFilters = {
  status: Status[];
  priority: Priority | null;
  category: Category | null;
  /** Where tickets came from (the portal, the chat widget…). */
  channel: Channel | null;
  assignee: AssigneeFilter;
  bot: BotFilter;
  q: string;
  sort: Sort;
};

const pick = <T extends string>(allowed: readonly T[], value: string | null): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;

const list = <T extends string>(allowed: readonly T[], value: string | null): T[] =>
  (value ?? '')
    .split(',')
    .map((part) => pick(allowed, part))
    .filter((part): part is T => part !== null);

/** Reads filters from a URL's search params; anything unknown is ignored. */
export function parseFilters(params: URLSearchParams): QueueFilters {
  return {
    status: list(statuses, params.get('status')),
    priority: pick(priorities, params.get('priority')),
    category: pick(categories, params.get('category')),
    channel: pick(channels, params.get('channel')),
    assignee: pick(['me', 'unassigned'] as const, params.get('assignee')) ?? 'anyone',
    bot: pick(botFilters, params.get('bot')) ?? 'hide',
    q: (params.get('q') ?? '').slice(0, 200),
    sort: pick(sorts, params.get('sort')) ?? 'updated_desc',
  };
}

/** Writes filters as search params, leaving out defaults so URLs stay short. */
export function filtersToParams(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status.length > 0) params.set('status', filters.status.join(','));
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.category) params.set('category', filters.category);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.assignee !== 'anyone') params.set('assignee', filters.assignee);
  if (filters.bot !== 'hide') params.set('bot', filters.bot);
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.sort !== 'updated_desc') params.set('sort', filters.sort);
  return params;
}

type ListInput = RouterInputs['tickets']['list'];

/** The `tickets.list` input for these filters (without the cursor). */
export function listInput(
  filters: QueueFilters,
  pageSize = 25,
): Omit<NonNullable<ListInput>, 'cursor'> {
  return {
    ...(filters.status.length > 0 ? { status: filters.status } : {}),
    ...(filters.priority ? { priority: [filters.priority] } : {}),
    ...(filters.category ? { category: [filters.category] } : {}),
    ...(filters.channel ? { channel: [filters.channel] } : {}),
    ...(filters.assignee !== 'anyone' ? { assignee: filters.assignee } : {}),
    ...(filters.bot !== 'hide' ? { bot: filters.bot } : {}),
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    sort: filters.sort,
    limit: pageSize,
  };
}

export const hasActiveFilters = (filters: QueueFilters) =>
  filters.status.length > 0 ||
  filters.priority !== null ||
  filters.category !== null ||
  filters.channel !== null ||
  filters.assignee !== 'anyone' ||
  filters.bot !== 'hide' ||
  filters.q.trim() !== '';
