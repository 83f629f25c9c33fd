import { roleLabels, roles } from '@parley/contract';
import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import type { ManagedUser, Role } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { shortDate } from '../../lib/time';
import { trpc } from '../../trpc';
import { useUser } from '../auth/use-session';
import { isDemotion, withArticle } from './roles';

type Change = { user: ManagedUser; role?: Role; disabled?: boolean };

const isDisabled = (user: ManagedUser) => 'disabled' in user && user.disabled;

/** What a change does, for the line that confirms it. */
function outcome({ user, role, disabled }: Change): string {
  if (disabled !== undefined) return `${user.name} is ${disabled ? 'disabled' : 'enabled'}.`;
  return `${user.name} is now ${withArticle(role ?? user.role)}.`;
}

/**
 * Everyone the filter shows: change a role either way, disable or enable an account
 * (either signs the person out everywhere at once). Demoting and disabling ask first.
 */
export function PeopleTable({ users }: { users: ManagedUser[] }) {
  const me = useUser();
  const utils = trpc.useUtils();
  const [asking, setAsking] = useState<Change | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const update = trpc.users.update.useMutation({
    onSettled: () => void utils.users.list.invalidate(),
  });

  function apply(change: Change) {
    setAsking(null);
    setDone(null);
    update.mutate(
      {
        userId: change.user.id,
        ...(change.role ? { role: change.role } : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
      },
      { onSuccess: () => setDone(outcome(change)) },
    );
  }

  const request = (change: Change) => {
    const destructive =
      change.disabled === true || (change.role && isDemotion(change.user.role, change.role));
    if (destructive) setAsking(change);
    else apply(change);
  };

  return (
    <div className="card">
      {update.error ? (
        <p className="inline-error inline-error--padded" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
      {done ? (
        <p className="form-success form-success--inset" role="status">
          {done}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" aria-label="People">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="col-optional">
                Email
              </th>
              <th scope="col">Role</th>
              <th scope="col" className="col-optional">
                Added
              </th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const self = user.id === me.id;
              const disabled = isDisabled(user);
              return (
                <tr
                  key={user.id}
                  className={disabled ? 'table__row table__row--muted' : 'table__row'}
                  data-testid="person-row"
                >
                  <td>
                    <span className="person">
                      <Avatar id={user.id} name={user.name} size={24} />
                      {user.name}
                      {self ? <span className="tag">You</span> : null}
                    </span>
                  </td>
                  <td className="col-optional">{user.email}</td>
                  <td>
                    <select
                      className="input select select--compact"
                      aria-label={`Role of ${user.name}`}
                      value={user.role}
                      disabled={self || update.isPending}
                      onChange={(e) => request({ user, role: e.target.value as Role })}
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {roleLabels[role]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="col-optional">{shortDate(user.createdAt)}</td>
                  <td>
                    {disabled ? (
                      <span className="badge badge--status-closed">Disabled</span>
                    ) : 'invited' in user && user.invited ? (
                      <span className="badge badge--status-waiting_customer">Invited</span>
                    ) : (
                      <span className="badge badge--status-resolved">Active</span>
                    )}
                  </td>
                  <td className="table__actions">
                    {self ? null : (
                      <button
                        type="button"
                        className={
                          disabled ? 'button button--small' : 'button button--small button--danger'
                        }
                        disabled={update.isPending}
                        onClick={() => request({ user, disabled: !disabled })}
                      >
                        {disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={
          asking?.disabled
            ? `Disable ${asking.user.name}?`
            : asking?.role
              ? `Make ${asking.user.name} ${withArticle(asking.role)}?`
              : ''
        }
        confirmLabel={asking?.disabled ? 'Disable account' : `Make ${asking?.role ?? ''}`.trimEnd()}
        onConfirm={() => {
          if (asking) apply(asking);
        }}
        onCancel={() => setAsking(null)}
      >
        <p>
          {asking?.disabled
            ? `${asking.user.name} is signed out everywhere at once and cannot sign in until an admin enables the account again.`
            : `${asking?.user.name ?? ''} is signed out everywhere at once and signs in again with the rights of ${asking?.role ? withArticle(asking.role) : ''}. You can change it back here.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}
