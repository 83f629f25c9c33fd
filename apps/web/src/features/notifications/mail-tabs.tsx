import { NavLink } from 'react-router';

/** Outgoing and incoming mail: two views of the admins' mail pages. */
export function MailTabs() {
  const tab = ({ isActive }: { isActive: boolean }) =>
    isActive ? 'tabs__tab tabs__tab--active' : 'tabs__tab';
  return (
    <nav className="tabs" aria-label="Mail">
      <NavLink to="/admin/mail" end className={tab}>
        Outgoing
      </NavLink>
      <NavLink to="/admin/mail/incoming" className={tab}>
        Incoming
      </NavLink>
    </nav>
  );
}
