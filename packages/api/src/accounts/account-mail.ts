import type { Task } from 'graphile-worker';
import {
  enqueueJob,
  findOutgoingMail,
  getUserById,
  liveAccountToken,
  storeOutgoingMail,
  updateOutgoingMail,
  type Db,
  type DbOrTx,
} from '@parley/db';
import type { Channels } from '../channels/channels';
import { liveMailTransport, messageIdDomain } from '../notify/mail-transport';
import type { NotifySettings } from '../notify/settings';
import { renderAccountMail } from './account-templates';

/** The graphile-worker task that sends one account email. */
export const accountEmailTask = 'account-email';

/**
 * What the job carries. A link's token travels in the job (deleted once it ran) and in
 * the email, never in a table: `account_tokens` keeps its hash only. A sign-up has no
 * user yet: its recipient is the pending sign-up its link stores.
 */
export type AccountEmailJob =
  | { kind: 'password_reset'; userId: string; tokenId: string; token: string }
  | { kind: 'invite'; userId: string; tokenId: string; token: string; inviter: string }
  | { kind: 'sign_up'; tokenId: string; token: string }
  | { kind: 'password_changed' | 'sign_up_existing'; userId: string; at: string }
  /** An endpoint kept failing and was switched off (to every admin). */
  | { kind: 'webhook_disabled'; userId: string; endpointId: string; url: string; at: string };

const pathOf: Record<AccountEmailJob['kind'], string> = {
  password_reset: '/reset-password',
  invite: '/invite',
  sign_up: '/verify-email',
  password_changed: '/signin',
  sign_up_existing: '/signin',
  webhook_disabled: '/admin/webhooks',
};

const keyOf = (job: AccountEmailJob) => {
  if (job.kind === 'webhook_disabled')
    return `account:webhook_disabled:${job.endpointId}:${job.at}:${job.userId}`;
  return 'at' in job
    ? `account:${job.kind}:${job.userId}:${job.at}`
    : `account:${job.kind}:${job.tokenId}`;
};

type Recipient = { id: string | null; email: string; name: string };

/**
 * Who the email goes to, or undefined when it should not go: a disabled account, a link
 * used or replaced meanwhile, or a "someone tried to sign up" note to a team member who
 * has not joined yet (their invitation is how they get in).
 */
async function recipientOf(db: Db, job: AccountEmailJob): Promise<Recipient | undefined> {
  const link = 'tokenId' in job ? await liveAccountToken(db, { id: job.tokenId }) : undefined;
  if ('tokenId' in job && !link) return undefined;
  if (job.kind === 'sign_up') {
    return link?.email && link.name ? { id: null, email: link.email, name: link.name } : undefined;
  }
  const user = await getUserById(db, { id: job.userId });
  if (!user || user.disabledAt) return undefined;
  if (job.kind === 'sign_up_existing' && user.passwordHash === null) return undefined;
  return user;
}

/** Queues the email in the caller's transaction: it goes if, and only if, that commits. */
export async function queueAccountEmail(tx: DbOrTx, job: AccountEmailJob): Promise<void> {
  const key = keyOf(job);
  await enqueueJob(tx, {
    task: accountEmailTask,
    payload: { ...job, key },
    jobKey: key,
    runAt: null,
    maxAttempts: 10,
  });
}

/**
 * Sends an account email once: stored in `outgoing_mail` under its key, then handed to
 * SMTP. Without SMTP it is kept, link included, for an admin to pass on (Outgoing mail);
 * sent through SMTP, the stored copy leaves the token out. A link used or replaced
 * before the job ran is not sent.
 */
export function createAccountEmailTask(deps: {
  db: Db;
  settings: NotifySettings;
  channels: Channels;
}): Task {
  const { db, settings } = deps;
  const transportInUse = liveMailTransport(() => deps.channels.settings.email.smtpUrl);
  return async (payload, helpers) => {
    const job = payload as AccountEmailJob & { key: string };
    const { mailFrom } = deps.channels.settings.email;
    const transport = transportInUse();
    const recipient = await recipientOf(db, job);
    if (!recipient) return;
    const page = `${settings.publicUrl}${pathOf[job.kind]}`;
    const link = 'token' in job ? `${page}?token=${job.token}` : page;
    const render = (href: string) =>
      renderAccountMail({
        kind: job.kind,
        recipient,
        link: href,
        resetLink: `${settings.publicUrl}/forgot-password`,
        ...(job.kind === 'invite' ? { inviter: job.inviter } : {}),
        ...(job.kind === 'webhook_disabled' ? { endpointUrl: job.url } : {}),
      });
    const headers = {
      'Message-ID': `<${job.key.replaceAll(':', '.')}@${messageIdDomain(mailFrom, settings.publicUrl)}>`,
      'X-Parley-Idempotency-Key': job.key,
    };
    const mail =
      (await findOutgoingMail(db, job.key)) ??
      (await storeOutgoingMail(db, {
        idempotencyKey: job.key,
        userId: recipient.id,
        ticketId: null,
        kind: job.kind,
        toAddress: recipient.email,
        status: transport ? 'pending' : 'kept',
        headers,
        ...render(transport ? page : link),
      }));
    if (mail.status !== 'pending') return;
    if (!transport) {
      // Stored for SMTP, so without its link: it cannot be passed on by hand. Said so.
      await updateOutgoingMail(db, {
        id: mail.id,
        status: 'failed',
        error: 'The SMTP server was removed before this email was sent; ask for it again',
      });
      return;
    }
    const { 'Message-ID': messageId, ...rest } = headers;
    try {
      await transport.sendMail({
        from: mailFrom,
        to: recipient.email,
        messageId,
        headers: rest,
        ...render(link),
      });
    } catch (error) {
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      await updateOutgoingMail(db, {
        id: mail.id,
        status: last ? 'failed' : 'pending',
        error: error instanceof Error ? error.message : String(error),
        attempted: true,
      });
      throw error; // graphile-worker retries with exponential backoff
    }
    await updateOutgoingMail(db, {
      id: mail.id,
      status: 'sent',
      error: null,
      sentAt: new Date(),
      attempted: true,
    });
  };
}
