import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc } from '../../trpc';
import { AuthLayout } from './auth-layout';

/**
 * "Forgot your password?": asks for a reset link. The answer is the same whether the
 * email has an account or not.
 */
export function ForgotPasswordPage() {
  const request = trpc.auth.requestPasswordReset.useMutation();
  const errors = fieldErrorsOf(request.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate({ email: formText(new FormData(event.currentTarget), 'email') });
  }

  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the email you sign in with. We will send you a link to choose a new password."
      footer={
        <>
          Remembered it? <Link to="/signin">Sign in</Link>
        </>
      }
    >
      {request.isSuccess ? (
        <p className="auth__notice" role="status">
          Check your inbox: if <strong>{request.variables.email}</strong> has a Parley account, a
          link to reset its password is on its way. It works once, for 30 minutes.
        </p>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <FormError message={errorMessage(request.error)} />
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            error={errors.email}
          />
          <button
            className="button button--primary button--block"
            type="submit"
            disabled={request.isPending}
          >
            {request.isPending ? 'Sending…' : 'Send the link'}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
