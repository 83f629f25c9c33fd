import { Link } from 'react-router';
import { useMe } from '../auth/use-session';

/**
 * "Still need help? Start a conversation": the portal's new-ticket form (signing in on
 * the way there when needed). Agents write articles, they do not ask: nothing for them.
 */
export function StillNeedHelp() {
  const me = useMe();
  if (me && me.role !== 'customer') return null;
  return (
    <div className="card card--padded help-cta">
      <p>
        <strong>Still need help?</strong> Our team is happy to help.
      </p>
      <Link to="/tickets/new" className="button button--primary">
        Start a conversation
      </Link>
    </div>
  );
}
