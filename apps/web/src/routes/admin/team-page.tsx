import { errorMessage } from '../../api/errors';
import { ErrorState, PageLoading } from '../../components/page-state';
import { CreateUserForm } from '../../features/admin/create-user-form';
import { TeamTable } from '../../features/admin/team-table';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { trpc } from '../../trpc';

export function TeamPage() {
  useDocumentTitle('Team');
  const team = trpc.users.list.useQuery({ role: ['agent', 'admin'] });
  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Team</h1>
          <p className="page__subtitle">Agents answer tickets; admins also manage the team.</p>
        </div>
      </header>
      <div className="admin-grid">
        {team.isPending ? (
          <PageLoading label="Loading the team…" />
        ) : team.isError ? (
          <ErrorState
            message={errorMessage(team.error) ?? 'Could not load the team'}
            onRetry={() => void team.refetch()}
          />
        ) : (
          <TeamTable users={team.data} />
        )}
        <CreateUserForm />
      </div>
    </section>
  );
}
