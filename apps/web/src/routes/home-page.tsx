import { useUser } from '../features/auth/use-session';

/** Who you are: the first signed-in page. */
export function HomePage() {
  const user = useUser();
  return (
    <section className="page">
      <header className="page__header">
        <h1 className="page__title">Welcome, {user.name}</h1>
      </header>
      <dl className="facts">
        <dt>Name</dt>
        <dd data-testid="me-name">{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
      </dl>
    </section>
  );
}
