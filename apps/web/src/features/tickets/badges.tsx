import { customerStatusLabels, priorityLabels, statusLabels } from '@parley/contract';
import type { Priority, Status } from '../../api/types';

export function StatusBadge({
  status,
  audience = 'agent',
}: {
  status: Status;
  audience?: 'agent' | 'customer';
}) {
  const label = audience === 'customer' ? customerStatusLabels[status] : statusLabels[status];
  return (
    <span className={`badge badge--status-${status}`}>
      <span className="badge__dot" aria-hidden="true" />
      {label}
    </span>
  );
}

const priorityBars: Record<Priority, number> = { low: 1, medium: 2, high: 3, urgent: 4 };

export function PriorityBadge({
  priority,
  compact = false,
}: {
  priority: Priority;
  compact?: boolean;
}) {
  const bars = priorityBars[priority];
  return (
    <span
      className={`priority priority--${priority}`}
      title={`${priorityLabels[priority]} priority`}
    >
      <span className="priority__bars" aria-hidden="true">
        {[1, 2, 3].map((n) => (
          <span
            key={n}
            className={n <= Math.min(bars, 3) ? 'priority__bar priority__bar--on' : 'priority__bar'}
          />
        ))}
      </span>
      <span className={compact ? 'visually-hidden' : undefined}>{priorityLabels[priority]}</span>
    </span>
  );
}

/** A dot and count of messages the viewer has not read yet. */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="unread" title={`${count} unread`}>
      <span className="unread__dot" aria-hidden="true" />
      <span className="unread__count">{count}</span>
      <span className="visually-hidden"> unread</span>
    </span>
  );
}
