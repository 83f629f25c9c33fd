import { statuses, statusLabels } from '@parley/contract';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { ErrorState, PageLoading } from '../../components/page-state';
import { DailyChart } from '../../features/dashboard/daily-chart';
import { StatCard } from '../../features/dashboard/stat-card';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { duration } from '../../lib/time';
import { trpc } from '../../trpc';

const active = 'status=open,in_progress,waiting_customer';

export function DashboardPage() {
  useDocumentTitle('Dashboard');
  // Kept fresh by the inbox stream (every ticket change invalidates it), not by polling.
  const stats = trpc.tickets.stats.useQuery(undefined, { staleTime: 60_000 });

  if (stats.isPending) return <PageLoading label="Loading the dashboard…" />;
  if (stats.isError) {
    return (
      <section className="page">
        <ErrorState
          message={errorMessage(stats.error) ?? 'Could not load the dashboard'}
          onRetry={() => void stats.refetch()}
        />
      </section>
    );
  }
  const s = stats.data;
  const csat = s.csat.count > 0 && s.csat.average !== null ? s.csat.average.toFixed(1) : '—';

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Dashboard</h1>
          <p className="page__subtitle">Live: figures update as tickets change.</p>
        </div>
      </header>

      <div className="stats stats--primary">
        <StatCard
          label="Urgent and open"
          value={s.urgentOpen}
          tone={s.urgentOpen > 0 ? 'urgent' : undefined}
          to={`/agent/queue?${active}&priority=urgent`}
          testId="stat-urgent"
        />
        <StatCard
          label="Unassigned"
          value={s.unassigned}
          to={`/agent/queue?${active}&assignee=unassigned`}
          testId="stat-unassigned"
        />
        <StatCard
          label="Assigned to me"
          value={s.assignedToMe}
          to={`/agent/queue?${active}&assignee=me`}
          testId="stat-mine"
        />
        <StatCard label="Avg. first response" value={duration(s.avgFirstResponseSeconds)} />
        <StatCard label="Avg. resolution time" value={duration(s.avgResolutionSeconds)} />
        <StatCard
          label="Customer satisfaction"
          value={csat === '—' ? csat : `${csat} / 5`}
          hint={`${s.csat.count} rating${s.csat.count === 1 ? '' : 's'}`}
          tone={s.csat.count > 0 && (s.csat.average ?? 0) >= 4 ? 'good' : undefined}
          testId="stat-csat"
        />
      </div>

      <div className="dashboard-grid">
        <section className="card card--padded" aria-labelledby="by-status">
          <h2 id="by-status" className="card__title">
            Tickets by status
          </h2>
          <ul className="status-counts">
            {statuses.map((status) => (
              <li key={status}>
                <Link
                  to={`/agent/queue?status=${status}`}
                  className="status-counts__item"
                  data-testid={`count-${status}`}
                >
                  <span className={`badge badge--status-${status}`}>
                    <span className="badge__dot" aria-hidden="true" />
                    {statusLabels[status]}
                  </span>
                  <span className="status-counts__value">{s.byStatus[status]}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
        <section className="card card--padded" aria-labelledby="daily">
          <h2 id="daily" className="card__title">
            Created and resolved, last 30 days
          </h2>
          <DailyChart daily={s.daily} />
        </section>
      </div>

      <section aria-labelledby="bot-stats">
        <h2 id="bot-stats" className="card__title">
          The bot, last 30 days
        </h2>
        <div className="stats">
          <StatCard
            label="Chats it answered"
            value={s.bot.answered}
            to="/agent/queue?channel=widget&bot=all"
            testId="stat-bot-answered"
          />
          <StatCard
            label="Resolved without a person"
            value={s.bot.resolvedWithoutPerson}
            tone={s.bot.resolvedWithoutPerson > 0 ? 'good' : undefined}
            testId="stat-bot-resolved"
          />
          <StatCard
            label="Handed to the team"
            value={s.bot.handedOff}
            testId="stat-bot-handed-off"
          />
        </div>
      </section>
    </section>
  );
}
