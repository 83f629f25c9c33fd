import { createBrowserRouter } from 'react-router';
import { AppShell } from '../components/app-shell';
import { RequireSignedIn, RequireSignedOut } from '../features/auth/require-signed-in';
import { SignInPage } from '../features/auth/sign-in-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import { HomePage } from './home-page';
import { NotFoundPage } from './not-found-page';

export const router = createBrowserRouter([
  {
    path: '/signin',
    element: (
      <RequireSignedOut>
        <SignInPage />
      </RequireSignedOut>
    ),
  },
  {
    path: '/signup',
    element: (
      <RequireSignedOut>
        <SignUpPage />
      </RequireSignedOut>
    ),
  },
  {
    element: (
      <RequireSignedIn>
        <AppShell />
      </RequireSignedIn>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
