import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc } from '../../trpc';
import { AuthLayout } from './auth-layout';

/**
 * Sign-up asks for the account and then says "check your inbox", whatever the email:
 * the account is created from the emailed link (`/verify-email`), and the answer never
 * tells whether the email already has one.
 */
export function SignUpPage() {
  const signUp = trpc.auth.signUp.useMutation();
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

  if (signUp.isSuccess) {
    const sent = signUp.variables;
    return (
      <AuthLayout
        title="Check your inbox"
        subtitle="One more step: confirm your email address."
        footer={
          <>
            Already have an account? <Link to="/signin">Sign in</Link>
          </>
        }
      >
        <div className="auth__notice" role="status">
          <p>
            We sent an email to <strong>{sent.email}</strong>. Open the link in it to finish
            creating your account; it works once, for 24 hours.
          </p>
          <p>If this address already has an account, the email says how to sign in instead.</p>
        </div>
        <p className="auth__hint">
          Nothing arrived after a few minutes? Check your spam folder, or{' '}
          <button type="button" className="link-button" onClick={() => signUp.mutate(sent)}>
            send another link
          </button>
          . Wrong address?{' '}
          <button type="button" className="link-button" onClick={() => signUp.reset()}>
            Use a different email
          </button>
          .
        </p>
      </AuthLayout>
    );
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
          hint="We will email you a link to finish creating your account."
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
