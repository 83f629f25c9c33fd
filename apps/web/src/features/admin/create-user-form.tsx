import { labelOptions, roleLabels, staffRoles } from '@parley/contract';
import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import type { Role } from '../../api/types';
import { FormError, SelectField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc } from '../../trpc';

const roleOptions = labelOptions(staffRoles, roleLabels);

/**
 * Admins add team members here: by default an emailed invitation (they choose their own
 * password), or with a password the admin gives them.
 */
export function CreateUserForm() {
  const utils = trpc.useUtils();
  const [done, setDone] = useState<string | null>(null);
  const [how, setHow] = useState<'invite' | 'password'>('invite');
  const onSuccess = () => void utils.users.list.invalidate();
  const create = trpc.users.create.useMutation({ onSuccess });
  const invite = trpc.users.invite.useMutation({ onSuccess });
  const mutation = how === 'invite' ? invite : create;
  const errors = fieldErrorsOf(mutation.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setDone(null);
    const person = {
      name: formText(form, 'name'),
      email: formText(form, 'email'),
      role: formText(form, 'role') as Exclude<Role, 'customer'>,
    };
    const reset = () => formElement.reset();
    if (how === 'invite') {
      invite.mutate(person, {
        onSuccess: (user) => {
          setDone(`Invitation sent to ${user.email}. It works for 7 days.`);
          reset();
        },
      });
    } else {
      create.mutate(
        { ...person, password: formText(form, 'password') },
        {
          onSuccess: (user) => {
            setDone(`${user.name} can now sign in as ${user.email}.`);
            reset();
          },
        },
      );
    }
  }

  return (
    <form
      className="form card card--padded"
      onSubmit={submit}
      noValidate
      aria-labelledby="create-user-title"
    >
      <h2 id="create-user-title" className="card__title">
        Add a team member
      </h2>
      <FormError message={errorMessage(mutation.error)} />
      {done ? (
        <p className="form-success" role="status">
          {done}
        </p>
      ) : null}
      <TextField label="Name" name="name" autoComplete="off" required error={errors.name} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="off"
        required
        error={errors.email}
      />
      <SelectField
        label="Role"
        name="role"
        defaultValue="agent"
        options={roleOptions}
        error={errors.role}
      />
      <fieldset className="field choice-group">
        <legend className="field__label">How they join</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="how"
            checked={how === 'invite'}
            onChange={() => setHow('invite')}
          />
          Email them an invitation
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="how"
            checked={how === 'password'}
            onChange={() => setHow('password')}
          />
          Give them a password now
        </label>
      </fieldset>
      {how === 'password' ? (
        <TextField
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="Use 8 or more characters. Share it with them privately."
          error={errors.password}
        />
      ) : null}
      <div>
        <button type="submit" className="button button--primary" disabled={mutation.isPending}>
          {mutation.isPending
            ? 'Adding…'
            : how === 'invite'
              ? 'Send invitation'
              : 'Add team member'}
        </button>
      </div>
    </form>
  );
}
