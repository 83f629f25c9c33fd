import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <section className="page">
      <div className="empty">
        <h1 className="empty__title">Page not found</h1>
        <p className="empty__body">
          There is nothing here. <Link to="/">Go to the start page</Link>.
        </p>
      </div>
    </section>
  );
}
