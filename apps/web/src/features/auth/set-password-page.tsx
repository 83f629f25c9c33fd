import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSessionChanged } from '../../api/api-provider';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { FormError, TextField } from '../../components/field';
import { formText } from '../../components/form-data';
import { trpc } from '../../trpc';
import { AuthLayout } from './auth-layout';
import { homePathFor } from './use-session';

const copy = {
  reset: {
    title: 'Choose a new password',
    subtitle: 'Every other session of your account signs out.',
    button: 'Save and sign in',
    retry: <Link to="/forgot-password">Ask for a new link</Link>,
  },
  invite: {
    title: 'Join your team on Parley',
    subtitle: 'Choose the password you will sign in with.',
    button: 'Join the team',
    retry: <>Ask whoever invited you to send a new invitation.</>,
  },
};

/** Where an emailed link lands: a password reset (`/reset-password`) or an invitation (`/invite`). */
export function SetPasswordPage({ purpose }: { purpose: 'reset' | 'invite' }) {
  const token = useSearchParams()[0].get('token') ?? '';
  const sessionChanged = useSessionChanged();
  const navigate = useNavigate();
  const onSuccess = ({ user }: { user: Parameters<typeof homePathFor>[0] }) => {
    sessionChanged(user);
    void navigate(homePathFor(user), { replace: true });
  };
  const reset = trpc.auth.resetPassword.useMutation({ onSuccess });
  const accept = trpc.auth.acceptInvite.useMutation({ onSuccess });
  const mutation = purpose === 'reset' ? reset : accept;
  const errors = fieldErrorsOf(mutation.error);
  const text = copy[purpose];
  const linkFailed = mutation.error && !errors.password;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate({ token, password: formText(new FormData(event.currentTarget), 'password') });
  }

  return (
    <AuthLayout
      title={text.title}
      subtitle={text.subtitle}
      footer={
        <>
          Have a password? <Link to="/signin">Sign in</Link>
        </>
      }
    >
      {token ? (
        <form className="form" onSubmit={submit} noValidate>
          <FormError message={errorMessage(mutation.error)} />
          {linkFailed ? <p className="auth__notice">{text.retry}</p> : null}
          <TextField
            label="New password"
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
            disabled={mutation.isPending}
          >
            {mutation.isPending ? 'Saving…' : text.button}
          </button>
        </form>
      ) : (
        <p className="auth__notice" role="alert">
          This link is incomplete: open it from the email again. {text.retry}
        </p>
      )}
    </AuthLayout>
  );
}
