import { Link, Outlet } from 'react-router';
import { AppShell } from '../../components/app-shell';
import { Logo } from '../../components/logo';
import { PageLoading } from '../../components/page-state';
import { useMe } from '../auth/use-session';

/** The help centre's frame for people who are not signed in: the logo and a way to sign in. */
function PublicHelpShell() {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/help" className="topbar__brand" aria-label="Parley help centre">
          <Logo />
        </Link>
        <nav className="topbar__nav" aria-label="Main">
          <Link to="/help" className="topbar__link">
            <span className="topbar__label">Help centre</span>
          </Link>
        </nav>
        <div className="topbar__user">
          <Link to="/signin" className="button button--ghost button--small">
            Sign in
          </Link>
        </div>
      </header>
      <main id="main" className="shell__main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/**
 * The help centre is readable without signing in: signed-in people get it inside the
 * app's usual frame, everyone else inside a public one.
 */
export function HelpFrame() {
  const me = useMe();
  if (me === undefined) return <PageLoading />;
  return me ? <AppShell /> : <PublicHelpShell />;
}
