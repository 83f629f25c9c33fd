import { staffRoles } from '@parley/contract';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, createBrowserRouter } from 'react-router';
import type { Role } from '../api/types';
import { AppShell } from '../components/app-shell';
import { PageLoading } from '../components/page-state';
import { RequireSignedIn, RequireSignedOut } from '../features/auth/require-signed-in';
import { ForgotPasswordPage } from '../features/auth/forgot-password-page';
import { SetPasswordPage } from '../features/auth/set-password-page';
import { SignInPage } from '../features/auth/sign-in-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import { VerifyEmailPage } from '../features/auth/verify-email-page';
import { homePathFor, useMe } from '../features/auth/use-session';
import { HelpFrame } from '../features/help/help-frame';
import { BotAnswersPage } from './admin/bot-answers-page';
import { ChannelsPage } from './admin/channels-page';
import { IncomingMailPage } from './admin/incoming-mail-page';
import { OutgoingMailPage } from './admin/outgoing-mail-page';
import { PeoplePage } from './admin/people-page';
import { WebhooksPage } from './admin/webhooks-page';
import { WidgetsPage } from './admin/widgets-page';
import { AgentTicketPage } from './agent/agent-ticket-page';
import { EditHelpArticlePage, NewHelpArticlePage } from './agent/help-article-edit-page';
import { HelpArticlesPage } from './agent/help-articles-page';
import { LiveChatPage } from './agent/live-chat-page';
import { QueuePage } from './agent/queue-page';
import { CustomerTicketPage } from './customer/customer-ticket-page';
import { MyTicketsPage } from './customer/my-tickets-page';
import { NewTicketPage } from './customer/new-ticket-page';
import { HelpArticlePage } from './help/help-article-page';
import { HelpHomePage } from './help/help-home-page';
import { NotFoundPage } from './not-found-page';
import { NotificationSettingsPage } from '../features/notifications/notification-settings-page';

// The dashboard brings the chart library; it loads when an agent first opens it.
const DashboardPage = lazy(() =>
  import('./agent/dashboard-page').then((module) => ({ default: module.DashboardPage })),
);

function Home() {
  const me = useMe();
  return me ? <Navigate to={homePathFor(me)} replace /> : null;
}

const signedOut = (page: ReactNode) => <RequireSignedOut>{page}</RequireSignedOut>;
const only = (roles: Role[], page: ReactNode) => (
  <RequireSignedIn roles={roles}>{page}</RequireSignedIn>
);
const team: Role[] = [...staffRoles];

export const router = createBrowserRouter([
  { path: '/signin', element: signedOut(<SignInPage />) },
  { path: '/signup', element: signedOut(<SignUpPage />) },
  { path: '/forgot-password', element: signedOut(<ForgotPasswordPage />) },
  // Emailed links work signed in or not (the link's account is signed in after).
  { path: '/reset-password', element: <SetPasswordPage purpose="reset" /> },
  { path: '/invite', element: <SetPasswordPage purpose="invite" /> },
  { path: '/verify-email', element: <VerifyEmailPage /> },
  // The help centre: readable without signing in (inside the app's frame when signed in).
  {
    element: <HelpFrame />,
    children: [
      { path: 'help', element: <HelpHomePage /> },
      { path: 'help/:slug', element: <HelpArticlePage /> },
    ],
  },
  {
    element: (
      <RequireSignedIn>
        <AppShell />
      </RequireSignedIn>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'tickets', element: only(['customer'], <MyTicketsPage />) },
      { path: 'tickets/new', element: only(['customer'], <NewTicketPage />) },
      { path: 'tickets/:ticketId', element: only(['customer'], <CustomerTicketPage />) },
      {
        path: 'agent',
        element: only(
          team,
          <Suspense fallback={<PageLoading label="Loading the dashboard…" />}>
            <DashboardPage />
          </Suspense>,
        ),
      },
      { path: 'agent/queue', element: only(team, <QueuePage />) },
      { path: 'agent/tickets/:ticketId', element: only(team, <AgentTicketPage />) },
      { path: 'agent/help', element: only(team, <HelpArticlesPage />) },
      { path: 'agent/help/new', element: only(team, <NewHelpArticlePage />) },
      { path: 'agent/help/:articleId', element: only(team, <EditHelpArticlePage />) },
      {
        path: 'agent/chats',
        element: only(team, <LiveChatPage />),
        children: [{ path: ':ticketId', element: <AgentTicketPage /> }],
      },
      { path: 'admin/people', element: only(['admin'], <PeoplePage />) },
      { path: 'admin/bot', element: only(['admin'], <BotAnswersPage />) },
      { path: 'admin/widgets', element: only(['admin'], <WidgetsPage />) },
      { path: 'admin/mail', element: only(['admin'], <OutgoingMailPage />) },
      { path: 'admin/mail/incoming', element: only(['admin'], <IncomingMailPage />) },
      { path: 'admin/webhooks', element: only(['admin'], <WebhooksPage />) },
      { path: 'admin/channels', element: only(['admin'], <ChannelsPage />) },
      { path: 'settings/notifications', element: <NotificationSettingsPage /> },
      // The page's old name and address: the team is one filter of People.
      { path: 'admin/team', element: <Navigate to="/admin/people?role=team" replace /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
