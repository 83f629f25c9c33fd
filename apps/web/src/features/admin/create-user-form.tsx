import { labelOptions, roleLabels, staffRoles } from '@parley/contract';
import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import type { Role } from '../../api/types';
import { FormError, SelectField, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc } from '../../trpc';

const roleOptions = labelOptions(staffRoles, roleLabels);

/** Admins add team members here; they sign in with the password given. */
export function CreateUserForm() {
  const utils = trpc.useUtils();
  const [created, setCreated] = useState<string | null>(null);
  const create = trpc.users.create.useMutation({
    onSuccess: (user) => {
      setCreated(`${user.name} can now sign in as ${user.email}.`);
      void utils.users.list.invalidate();
    },
  });
  const errors = fieldErrorsOf(create.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setCreated(null);
    create.mutate(
      {
        name: formText(form, 'name'),
        email: formText(form, 'email'),
        role: formText(form, 'role') as Role,
        password: formText(form, 'password'),
      },
      { onSuccess: () => formElement.reset() },
    );
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
      <FormError message={errorMessage(create.error)} />
      {created ? (
        <p className="form-success" role="status">
          {created}
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
      <TextField
        label="Initial password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="Use 8 or more characters. Share it with them privately."
        error={errors.password}
      />
      <div>
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add team member'}
        </button>
      </div>
    </form>
  );
}
