import { errorMessage } from '../../api/errors';
import type { ManagedUser, Role } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { shortDate } from '../../lib/time';
import { trpc } from '../../trpc';
import { useUser } from '../auth/use-session';

/** Agents and admins: change a role or disable an account (which signs them out at once). */
export function TeamTable({ users }: { users: ManagedUser[] }) {
  const me = useUser();
  const utils = trpc.useUtils();
  const update = trpc.users.update.useMutation({
    onSuccess: () => void utils.users.list.invalidate(),
  });

  return (
    <div className="card">
      {update.error ? (
        <p className="inline-error inline-error--padded" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" aria-label="Team members">
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
              const disabled = 'disabled' in user && user.disabled;
              return (
                <tr
                  key={user.id}
                  className={disabled ? 'table__row table__row--muted' : 'table__row'}
                  data-testid="team-row"
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
                      onChange={(e) =>
                        update.mutate({ userId: user.id, role: e.target.value as Role })
                      }
                    >
                      <option value="agent">Agent</option>
                      <option value="admin">Admin</option>
                      <option value="customer">Customer</option>
                    </select>
                  </td>
                  <td className="col-optional">{shortDate(user.createdAt)}</td>
                  <td>
                    {disabled ? (
                      <span className="badge badge--status-closed">Disabled</span>
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
                        onClick={() => update.mutate({ userId: user.id, disabled: !disabled })}
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
    </div>
  );
}
