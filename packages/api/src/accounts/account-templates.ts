import { escape } from '../notify/templates';

/** What an account email is about. */
export type AccountMailKind =
  | 'password_reset'
  | 'invite'
  | 'password_changed'
  | 'sign_up'
  | 'sign_up_existing'
  | 'webhook_disabled';

export type AccountMailInput = {
  kind: AccountMailKind;
  recipient: { name: string };
  /** The link the email is for (the reset or invitation page; sign-in for a notice). */
  link: string;
  /** Who invited them (invitations). */
  inviter?: string;
  /** The "forgot your password?" page (offered by a "someone tried to sign up" note). */
  resetLink?: string;
  /** The endpoint's URL (a switched-off webhook endpoint). */
  endpointUrl?: string;
};

type Copy = {
  subject: string;
  lead: string;
  action: string;
  /** A second way forward, to `resetLink`. */
  reset?: string;
  after: string;
};

const copy: Record<AccountMailKind, (input: AccountMailInput) => Copy> = {
  password_reset: () => ({
    subject: 'Reset your Parley password',
    lead: 'Someone asked to reset the password of your Parley account. If it was you, choose a new one:',
    action: 'Choose a new password',
    after:
      'The link works once, for 30 minutes. If you did not ask, ignore this email: your password stays as it is.',
  }),
  invite: (input) => ({
    subject: `${input.inviter ?? 'Your team'} invited you to Parley`,
    lead: `${input.inviter ?? 'Your team'} invited you to answer customers with them in Parley. Choose your password to join:`,
    action: 'Join the team',
    after: 'The link works once, for 7 days.',
  }),
  password_changed: () => ({
    subject: 'Your Parley password was changed',
    lead: 'The password of your Parley account was just changed, and every session signed out.',
    action: 'Sign in',
    after: 'If this was not you, reset your password now from the sign-in page and tell your team.',
  }),
  sign_up: () => ({
    subject: 'Finish creating your Parley account',
    lead: 'Thanks for signing up. Open this link to confirm this is your email address; your account is created then, and you are signed in:',
    action: 'Finish creating my account',
    after:
      'The link works once, for 24 hours. If you did not sign up, ignore this email: no account is created.',
  }),
  sign_up_existing: () => ({
    subject: 'Someone tried to create a Parley account with your email',
    lead: 'Someone, maybe you, just tried to create a Parley account with this email address. It already has an account, so nothing was created or changed. If it was you, sign in:',
    action: 'Sign in',
    reset: 'Forgot your password? Choose a new one',
    after: 'If it was not you, ignore this email: your account and password stay as they are.',
  }),
  webhook_disabled: (input) => ({
    subject: 'A Parley webhook endpoint was switched off',
    lead: `Deliveries to ${input.endpointUrl ?? 'a webhook endpoint'} kept failing after every retry, so Parley switched the endpoint off. Nothing is sent to it until an admin switches it on again.`,
    action: 'Open the webhook settings',
    after:
      'Once the receiver works again, switch the endpoint on and replay what it missed from its delivery log.',
  }),
};

/** An account email as HTML and plain text (no unsubscribe: these are not notifications). */
export function renderAccountMail(input: AccountMailInput): {
  subject: string;
  html: string;
  text: string;
} {
  const { subject, lead, action, reset, after } = copy[input.kind](input);
  const second = reset && input.resetLink ? { label: reset, link: input.resetLink } : null;
  const text = [
    `Hello ${input.recipient.name},`,
    '',
    lead,
    '',
    `${action}: ${input.link}`,
    ...(second ? ['', `${second.label}: ${second.link}`] : []),
    '',
    after,
    '',
  ].join('\n');
  const secondHtml = second
    ? `<p><a href="${escape(second.link)}" style="color:#3730a3">${escape(second.label)}</a></p>\n`
    : '';
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(subject)}</title></head>
<body style="margin:0;padding:24px;font:16px/1.5 system-ui,sans-serif;color:#1d1d24;background:#ffffff">
<main style="max-width:560px">
<p>Hello ${escape(input.recipient.name)},</p>
<p>${escape(lead)}</p>
<p><a href="${escape(input.link)}" style="color:#3730a3">${escape(action)}</a></p>
${secondHtml}<p style="font-size:14px;color:#4a4a57">${escape(after)}</p>
</main>
</body>
</html>
`;
  return { subject, html, text };
}
