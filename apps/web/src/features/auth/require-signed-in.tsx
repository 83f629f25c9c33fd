import type { Role } from '../../api/types';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageLoading } from '../../components/page-state';
import { homePathFor, useMe } from './use-session';

/** Renders its children for a signed-in user with one of `roles`, otherwise redirects. */
export function RequireSignedIn({
  roles,
  children,
}: {
  roles?: readonly Role[];
  children: ReactNode;
}) {
  const me = useMe();
  const location = useLocation();
  if (me === undefined) return <PageLoading />;
  if (me === null)
    return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  if (roles && !roles.includes(me.role)) return <Navigate to={homePathFor(me)} replace />;
  return <>{children}</>;
}

/** Sign-in and sign-up are for signed-out people; anyone else goes home. */
export function RequireSignedOut({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me === undefined) return <PageLoading />;
  if (me) return <Navigate to={homePathFor(me)} replace />;
  return <>{children}</>;
}
