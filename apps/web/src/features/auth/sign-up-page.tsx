import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSessionChanged } from '../../api/api-provider';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc } from '../../trpc';
import { AuthLayout } from './auth-layout';
import { homePathFor } from './use-session';

export function SignUpPage() {
  const sessionChanged = useSessionChanged();
  const navigate = useNavigate();
  const signUp = trpc.auth.signUp.useMutation({
    onSuccess: ({ user }) => {
      sessionChanged(user);
      void navigate(homePathFor(user), { replace: true });
    },
  });
  const errors = fieldErrorsOf(signUp.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signUp.mutate({
      name: formText(form, 'name'),
      email: formText(form, 'email'),
      password: formText(form, 'password'),
    });
  }

  return (
    <AuthLayout
      title="Create your account"
      subtitle="Get help from our support team and follow every conversation in one place."
      footer={
        <>
          Already have an account? <Link to="/signin">Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={errorMessage(signUp.error)} />
        <TextField label="Name" name="name" autoComplete="name" required error={errors.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="Use 8 or more characters."
          error={errors.password}
        />
        <button
          className="button button--primary button--block"
          type="submit"
          disabled={signUp.isPending}
        >
          {signUp.isPending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
