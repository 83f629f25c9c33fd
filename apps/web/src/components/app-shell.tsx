import { Link, NavLink, Outlet } from 'react-router';
import { useSignOut, useUser } from '../features/auth/use-session';
import { Logo } from './logo';
import { ReconnectBanner } from './reconnect-banner';

/** The frame of every signed-in page: top bar with navigation, user and sign-out. */
export function AppShell() {
  const user = useUser();
  const signOut = useSignOut();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="topbar__brand" aria-label="Parley home">
          <Logo />
        </Link>
        <nav className="topbar__nav" aria-label="Main">
          <NavLink to="/" end className="topbar__link">
            Home
          </NavLink>
        </nav>
        <div className="topbar__user">
          <span className="topbar__name">{user.name}</span>
          <button type="button" className="button button--ghost button--small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <ReconnectBanner />
      <main id="main" className="shell__main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
