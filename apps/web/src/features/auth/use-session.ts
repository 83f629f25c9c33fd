import type { User } from '@parley/api';
import { useNavigate } from 'react-router';
import { useSessionChanged } from '../../api/api-provider';
import { trpc } from '../../trpc';

/**
 * The signed-in user: `undefined` while loading, `null` when signed out. An unreachable
 * server is not "signed out": the question is asked again until the server answers.
 */
export function useMe(): User | null | undefined {
  const me = trpc.auth.me.useQuery(undefined, {
    staleTime: Infinity,
    retry: true,
    retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 10_000),
  });
  return me.data;
}

/** The signed-in user, for pages only rendered behind <RequireSignedIn>. */
export function useUser(): User {
  const user = useMe();
  if (!user) throw new Error('useUser is only for signed-in pages');
  return user;
}

export function useSignOut() {
  const sessionChanged = useSessionChanged();
  const navigate = useNavigate();
  const signOut = trpc.auth.signOut.useMutation({
    // Even if the server is unreachable, this browser forgets the user.
    onSettled: () => {
      sessionChanged(null);
      void navigate('/signin');
    },
  });
  return () => signOut.mutate();
}

/** Where a user lands after signing in: customers on their tickets, the team on the dashboard. */
export function homePathFor(user: User): string {
  return user.role === 'customer' ? '/tickets' : '/agent';
}
