import type { FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useSessionChanged } from '../../api/api-provider';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc } from '../../trpc';
import { AuthLayout } from './auth-layout';
import { homePathFor } from './use-session';

export function SignInPage() {
  const sessionChanged = useSessionChanged();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const signIn = trpc.auth.signIn.useMutation({
    onSuccess: ({ user }) => {
      sessionChanged(user);
      void navigate(from ?? homePathFor(user), { replace: true });
    },
  });
  const errors = fieldErrorsOf(signIn.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signIn.mutate({ email: formText(form, 'email'), password: formText(form, 'password') });
  }

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Welcome back. Sign in to see your conversations."
      footer={
        <>
          New here? <Link to="/signup">Create an account</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError message={errorMessage(signIn.error)} />
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
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <p className="auth__forgot">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <button
          className="button button--primary button--block"
          type="submit"
          disabled={signIn.isPending}
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
