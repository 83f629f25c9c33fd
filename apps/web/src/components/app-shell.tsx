import { roleLabels } from '@parley/contract';
import { NavLink, Outlet } from 'react-router';
import { AlertMenu } from '../features/agent/alert-menu';
import { AgentShortcuts } from '../features/agent/shortcuts-context';
import { homePathFor, useSignOut, useUser } from '../features/auth/use-session';
import { InboxProvider, useInbox } from '../features/realtime/inbox';
import { Avatar } from './avatar';
import {
  BotIcon,
  ChartIcon,
  ChatIcon,
  CodeIcon,
  HelpIcon,
  InboxIcon,
  MailIcon,
  WebhookIcon,
  PhoneIcon,
  PlusIcon,
  TicketIcon,
  UsersIcon,
} from './icons';
import { Logo } from './logo';
import { ReconnectBanner } from './reconnect-banner';

function CustomerNav() {
  return (
    <>
      <NavLink to="/tickets" end className="topbar__link">
        <TicketIcon /> <span className="topbar__label">My tickets</span>
      </NavLink>
      <NavLink to="/tickets/new" className="topbar__link">
        <PlusIcon /> <span className="topbar__label">New ticket</span>
      </NavLink>
      <NavLink to="/help" className="topbar__link">
        <HelpIcon /> <span className="topbar__label">Help</span>
      </NavLink>
    </>
  );
}

function AgentNav({ admin }: { admin: boolean }) {
  const { newTickets } = useInbox();
  return (
    <>
      <NavLink to="/agent" end className="topbar__link">
        <ChartIcon /> <span className="topbar__label">Dashboard</span>
      </NavLink>
      <NavLink to="/agent/queue" className="topbar__link">
        <InboxIcon /> <span className="topbar__label">Queue</span>
        {newTickets > 0 ? (
          <span className="nav-badge" data-testid="new-tickets-badge">
            {newTickets}
            <span className="visually-hidden"> new</span>
          </span>
        ) : null}
      </NavLink>
      <NavLink to="/agent/help" className="topbar__link">
        <HelpIcon /> <span className="topbar__label">Help centre</span>
      </NavLink>
      <NavLink to="/agent/chats" className="topbar__link">
        <ChatIcon /> <span className="topbar__label">Live chat</span>
      </NavLink>
      {admin ? <AdminNav /> : null}
    </>
  );
}

/** Admins' pages: icons with a tooltip below wide screens (the label stays for screen readers). */
function AdminNav() {
  const links = [
    { to: '/admin/people', label: 'People', Icon: UsersIcon },
    { to: '/admin/bot', label: 'Bot', Icon: BotIcon },
    { to: '/admin/widgets', label: 'Chat widget', Icon: CodeIcon },
    { to: '/admin/mail', label: 'Outgoing mail', Icon: MailIcon },
    { to: '/admin/webhooks', label: 'Webhooks', Icon: WebhookIcon },
    { to: '/admin/channels', label: 'Channels', Icon: PhoneIcon },
  ];
  return (
    <>
      <span className="topbar__divider" aria-hidden="true" />
      {links.map(({ to, label, Icon }) => (
        <NavLink key={to} to={to} className="topbar__link topbar__link--compact" title={label}>
          <Icon /> <span className="topbar__label">{label}</span>
        </NavLink>
      ))}
    </>
  );
}

/** The frame of every signed-in page: top bar with navigation, the user and sign-out. */
export function AppShell() {
  const user = useUser();
  const signOut = useSignOut();
  const isAgent = user.role !== 'customer';
  const frame = (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to={homePathFor(user)} className="topbar__brand" aria-label="Parley home">
          <Logo />
        </NavLink>
        <nav className="topbar__nav" aria-label="Main">
          {isAgent ? <AgentNav admin={user.role === 'admin'} /> : <CustomerNav />}
        </nav>
        <div className="topbar__user">
          {isAgent ? <AlertMenu /> : null}
          <Avatar id={user.id} name={user.name} size={28} />
          <span className="topbar__who">
            <span className="topbar__name" data-testid="me-name">
              {user.name}
            </span>
            <span className="topbar__role">{roleLabels[user.role]}</span>
          </span>
          <NavLink to="/settings/notifications" className="button button--ghost button--small">
            Notification settings
          </NavLink>
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
  return (
    <InboxProvider>{isAgent ? <AgentShortcuts>{frame}</AgentShortcuts> : frame}</InboxProvider>
  );
}
