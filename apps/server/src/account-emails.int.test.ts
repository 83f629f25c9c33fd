import { createSupportDeskUsers, errorCode, type SupportDeskUsers } from '@parley/api/testing';
import { testPassword } from '@parley/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { linkIn, mailsTo, startSmtpInbox, type SmtpInbox } from './testing/smtp-inbox';

/** The token of the link to `path` in the latest mail to `to`. */
function linkToken(inbox: SmtpInbox, to: string, path: string): string {
  const mail = inbox.mails.filter((m) => m.to.includes(to)).at(-1);
  const link = mail && linkIn(mail, path);
  if (!link) throw new Error(`no ${path} link mailed to ${to}`);
  return new URL(link).searchParams.get('token')!;
}

describe('accounts by email (a real SMTP server in the test process)', () => {
  let inbox: SmtpInbox;
  let t: TestServer;
  let users: SupportDeskUsers;
  let anonymous: ReturnType<typeof httpClient>;
  let admin: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    t = await startTestServer({ mail: { smtpUrl: inbox.url }, notify: { pollMs: 200 } });
    users = await createSupportDeskUsers(t.database.db);
    anonymous = httpClient(t.url);
    const { token } = await t.server.services.auth.createSession(users.admin.id);
    admin = httpClient(t.url, { token });
  });
  afterAll(async () => {
    await t[Symbol.asyncDispose]();
    await inbox[Symbol.asyncDispose]();
  });

  it('resets a password through a single-use link that ends every session and tells the owner', async () => {
    const email = users.customerA.email;
    const { token: oldSession } = await t.server.services.auth.createSession(users.customerA.id);
    const before = httpClient(t.url, { token: oldSession });
    expect((await before.auth.me.query())?.id).toBe(users.customerA.id);

    expect(await anonymous.auth.requestPasswordReset.mutate({ email })).toEqual({ ok: true });
    await inbox.waitFor(() => mailsTo(inbox, email, 'Reset your Parley password').length === 1);
    const token = linkToken(inbox, email, '/reset-password');

    const password = 'a brand new passphrase';
    const reset = await anonymous.auth.resetPassword.mutate({ token, password, issueToken: true });
    expect(reset.user.id).toBe(users.customerA.id);
    expect(reset.token).toBeTruthy();
    // Every earlier session ended; the new one works.
    expect(await before.auth.me.query()).toBeNull();
    expect((await httpClient(t.url, { token: reset.token }).auth.me.query())?.id).toBe(
      users.customerA.id,
    );
    // The new password signs in, the old one no longer does.
    await anonymous.auth.signIn.mutate({ email, password });
    expect(
      errorCode(
        await anonymous.auth.signIn
          .mutate({ email, password: testPassword })
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');
    // The link works once.
    const again = await anonymous.auth.resetPassword
      .mutate({ token, password: 'yet another passphrase' })
      .catch((error: unknown) => error);
    expect(errorCode(again)).toBe('BAD_REQUEST');
    expect((again as Error).message).toMatch(/expired or was already used/);
    // The owner hears of the change.
    await inbox.waitFor(() => mailsTo(inbox, email, 'password was changed').length === 1);

    // Only the token's hash is stored; the stored copy of the sent email leaves it out.
    const stored = await t.database.db.$client.query<{ html: string; text: string }>(
      `select html, text from outgoing_mail where kind = 'password_reset' and to_address = $1`,
      [email],
    );
    expect(stored.rows).toHaveLength(1);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    const hashes = await t.database.db.$client.query(
      `select 1 from account_tokens where token_hash = $1`,
      [token],
    );
    expect(hashes.rowCount).toBe(0);
  });

  it('answers the same for an unknown email and sends nothing; a newer link replaces an older one; an expired link fails', async () => {
    const unknown = 'nobody-here@example.com';
    expect(await anonymous.auth.requestPasswordReset.mutate({ email: unknown })).toEqual({
      ok: true,
    });
    const email = users.customerB.email;
    await anonymous.auth.requestPasswordReset.mutate({ email });
    await inbox.waitFor(() => mailsTo(inbox, email, 'Reset').length === 1);
    const first = linkToken(inbox, email, '/reset-password');
    await anonymous.auth.requestPasswordReset.mutate({ email });
    await inbox.waitFor(() => mailsTo(inbox, email, 'Reset').length === 2);
    const second = linkToken(inbox, email, '/reset-password');
    expect(second).not.toBe(first);
    const password = 'another fine passphrase';
    expect(
      errorCode(
        await anonymous.auth.resetPassword
          .mutate({ token: first, password })
          .catch((e: unknown) => e),
      ),
    ).toBe('BAD_REQUEST');

    await t.database.db.$client.query(
      `update account_tokens set expires_at = now() - interval '1 second' where used_at is null`,
    );
    expect(
      errorCode(
        await anonymous.auth.resetPassword
          .mutate({ token: second, password })
          .catch((e: unknown) => e),
      ),
    ).toBe('BAD_REQUEST');
    // Nothing ever went to the unknown address.
    expect(inbox.mails.filter((m) => m.to.includes(unknown))).toEqual([]);
    expect(
      (
        await t.database.db.$client.query(`select 1 from outgoing_mail where to_address = $1`, [
          unknown,
        ])
      ).rowCount,
    ).toBe(0);
  });

  it('invites a team member by email, who joins by choosing a password', async () => {
    const email = 'new.agent@example.com';
    const invited = await admin.users.invite.mutate({ email, name: 'Nia Agent', role: 'agent' });
    expect(invited).toMatchObject({ email, role: 'agent', invited: true, disabled: false });
    await inbox.waitFor(() => mailsTo(inbox, email, 'invited you to Parley').length === 1);
    const mail = mailsTo(inbox, email, 'invited you')[0]!;
    expect(mail.headers.get('subject')).toContain(users.admin.name);
    const first = linkToken(inbox, email, '/invite');

    // Not joined yet: no password signs in.
    expect(
      errorCode(
        await anonymous.auth.signIn
          .mutate({ email, password: testPassword })
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');
    // Inviting again sends a new link; the first stops working.
    await admin.users.invite.mutate({ email, name: 'Nia Agent', role: 'agent' });
    await inbox.waitFor(() => mailsTo(inbox, email, 'invited you').length === 2);
    const second = linkToken(inbox, email, '/invite');
    const password = 'my own passphrase';
    expect(
      errorCode(
        await anonymous.auth.acceptInvite
          .mutate({ token: first, password })
          .catch((e: unknown) => e),
      ),
    ).toBe('BAD_REQUEST');

    const joined = await anonymous.auth.acceptInvite.mutate({
      token: second,
      password,
      issueToken: true,
    });
    expect(joined.user).toMatchObject({ email, role: 'agent' });
    const me = httpClient(t.url, { token: joined.token });
    expect((await me.tickets.list.query({})).items).toBeDefined(); // an agent's queue
    const listed = await admin.users.list.query({ q: 'Nia' });
    expect(listed).toEqual([expect.objectContaining({ email, invited: false })]);
    // The link works once; an email with an account cannot be invited.
    expect(
      errorCode(
        await anonymous.auth.acceptInvite
          .mutate({ token: second, password })
          .catch((e: unknown) => e),
      ),
    ).toBe('BAD_REQUEST');
    for (const taken of [email, users.customerA.email]) {
      expect(
        errorCode(
          await admin.users.invite
            .mutate({ email: taken, name: 'Someone', role: 'agent' })
            .catch((e: unknown) => e),
        ),
      ).toBe('CONFLICT');
    }
    // Only admins invite.
    const { token } = await t.server.services.auth.createSession(users.agent.id);
    expect(
      errorCode(
        await httpClient(t.url, { token })
          .users.invite.mutate({ email: 'x@example.com', name: 'X', role: 'admin' })
          .catch((e: unknown) => e),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('accounts by email without SMTP', () => {
  it('keeps the email, link included, for an admin to pass on (Outgoing mail)', async () => {
    await using t = await startTestServer({ notify: { pollMs: 200 } });
    const users = await createSupportDeskUsers(t.database.db);
    const { token } = await t.server.services.auth.createSession(users.admin.id);
    const admin = httpClient(t.url, { token });
    await admin.users.invite.mutate({ email: 'kept@example.com', name: 'Kim', role: 'agent' });
    await expect
      .poll(
        async () =>
          (await admin.notifications.outgoingMail.list.query({})).items.filter(
            (m) => m.to === 'kept@example.com',
          ),
        { timeout: 15_000 },
      )
      .toEqual([expect.objectContaining({ status: 'kept', kind: 'invite' })]);
    const [mail] = (await admin.notifications.outgoingMail.list.query({})).items.filter(
      (m) => m.to === 'kept@example.com',
    );
    const link = /\/invite\?token=([\w-]+)/.exec(mail!.text)?.[1];
    expect(link).toBeTruthy();
    const joined = await httpClient(t.url).auth.acceptInvite.mutate({
      token: link!,
      password: 'kept and joined ok',
    });
    expect(joined.user.role).toBe('agent');
  });
});
