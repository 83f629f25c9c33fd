import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSessionChanged } from '../../api/api-provider';
import { errorMessage } from '../../api/errors';
import { FormError } from '../../components/field';
import { trpc } from '../../trpc';
import { AuthLayout } from './auth-layout';
import { homePathFor } from './use-session';

/** The ways forward when a sign-up link cannot create the account. */
function NextSteps() {
  return (
    <ul className="auth__next">
      <li>
        <Link to="/signin">Sign in</Link> if your account already exists
      </li>
      <li>
        <Link to="/forgot-password">Reset your password</Link> if you forgot it
      </li>
      <li>
        <Link to="/signup">Sign up again</Link> for a new link
      </li>
    </ul>
  );
}

/**
 * Where a sign-up's emailed link lands (`/verify-email?token=…`). One click creates the
 * account and signs in (a click, not on load: mail scanners that open links must not
 * use it up).
 */
export function VerifyEmailPage() {
  const token = useSearchParams()[0].get('token') ?? '';
  const sessionChanged = useSessionChanged();
  const navigate = useNavigate();
  const verify = trpc.auth.verifySignUp.useMutation({
    onSuccess: ({ user }) => {
      sessionChanged(user);
      void navigate(homePathFor(user), { replace: true });
    },
  });

  return (
    <AuthLayout
      title="Finish creating your account"
      subtitle="Your email address is confirmed once you continue."
      footer={
        <>
          Have an account? <Link to="/signin">Sign in</Link>
        </>
      }
    >
      {!token ? (
        <div role="alert">
          <p className="auth__notice">This link is incomplete: open it from the email again.</p>
          <NextSteps />
        </div>
      ) : verify.isError ? (
        <div>
          <FormError message={errorMessage(verify.error)} />
          <NextSteps />
        </div>
      ) : (
        <button
          className="button button--primary button--block"
          type="button"
          disabled={verify.isPending || verify.isSuccess}
          onClick={() => verify.mutate({ token })}
        >
          {verify.isPending || verify.isSuccess ? 'Creating your account…' : 'Create my account'}
        </button>
      )}
    </AuthLayout>
  );
}
