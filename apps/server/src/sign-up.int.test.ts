import { randomUUID } from 'node:crypto';
import {
  createSupportDeskUsers,
  errorCode,
  testPassword,
  type SupportDeskUsers,
} from '@parley/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { linkIn, mailBody, mailsTo, startSmtpInbox, type SmtpInbox } from './testing/smtp-inbox';

const finishSubject = 'Finish creating your Parley account';
const triedSubject = 'Someone tried to create a Parley account';

/**
 * Issue 11 item 7 and issue 16: sign-up does not tell whether an email has an account,
 * and creates an account only once its owner used the emailed link.
 */
describe('sign-up by emailed link (a real SMTP server in the test process)', () => {
  let inbox: SmtpInbox;
  let t: TestServer;
  let users: SupportDeskUsers;
  let anonymous: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    t = await startTestServer({ mail: { smtpUrl: inbox.url }, notify: { pollMs: 200 } });
    users = await createSupportDeskUsers(t.database.db);
    anonymous = httpClient(t.url);
  });
  afterAll(async () => {
    await t[Symbol.asyncDispose]();
    await inbox[Symbol.asyncDispose]();
  });

  /** A sign-up as the browser sends it: status, headers that matter, body. */
  async function signUpOverHttp(email: string, password: string) {
    const response = await fetch(`${t.url}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url },
      body: JSON.stringify({ email, password, name: 'Someone' }),
    });
    return {
      status: response.status,
      cookie: response.headers.get('set-cookie'),
      body: await response.text(),
    };
  }

  /** The link of the `nth` (1-based) mail to `to` about `subject`, once it arrived. */
  async function mailedLink(to: string, subject: string, nth: number, path: string) {
    await inbox.waitFor(() => mailsTo(inbox, to, subject).length >= nth);
    const link = linkIn(mailsTo(inbox, to, subject)[nth - 1]!, path);
    if (!link) throw new Error(`no ${path} link in mail ${nth} to ${to}`);
    return new URL(link).searchParams.get('token')!;
  }

  it('answers a taken and a new email alike; the owner hears of it, the new address gets a link that works once', async () => {
    const taken = users.customerA.email;
    const fresh = `new-${randomUUID().slice(0, 8)}@example.com`;
    const forTaken = await signUpOverHttp(taken, 'a stranger chose this');
    const forFresh = await signUpOverHttp(fresh, 'my very own password');
    // Same status, no cookie, the very same body: nothing tells the two apart.
    expect(forTaken).toEqual(forFresh);
    expect(forFresh.status).toBe(200);
    expect(forFresh.cookie).toBeNull();

    // The owner of the taken email is told, with a way in; their password is unchanged.
    await inbox.waitFor(() => mailsTo(inbox, taken, triedSubject).length === 1);
    const note = mailBody(mailsTo(inbox, taken, triedSubject)[0]!);
    expect(note).toMatch(/Sign in: https?:\/\/\S+\/signin\s/);
    expect(note).toMatch(/Choose a new one: https?:\/\/\S+\/forgot-password\s/);
    expect(mailsTo(inbox, taken, finishSubject)).toEqual([]);
    await anonymous.auth.signIn.mutate({ email: taken, password: testPassword });
    expect(
      errorCode(
        await anonymous.auth.signIn
          .mutate({ email: taken, password: 'a stranger chose this' })
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');

    // The new address gets a link; nothing signs in before it is used.
    const token = await mailedLink(fresh, finishSubject, 1, '/verify-email');
    expect(
      errorCode(
        await anonymous.auth.signIn
          .mutate({ email: fresh, password: 'my very own password' })
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');
    const verified = await anonymous.auth.verifySignUp.mutate({ token, issueToken: true });
    expect(verified.user).toMatchObject({ email: fresh, name: 'Someone', role: 'customer' });
    const me = httpClient(t.url, { token: verified.token });
    expect((await me.auth.me.query())?.id).toBe(verified.user.id);
    expect((await me.tickets.list.query({})).items).toEqual([]);
    await anonymous.auth.signIn.mutate({ email: fresh, password: 'my very own password' });
    const stored = await t.database.db.$client.query<{ verified: boolean }>(
      `select email_verified_at is not null as verified from users where email = $1`,
      [fresh],
    );
    expect(stored.rows).toEqual([{ verified: true }]);

    // The link works once, and says how to go on.
    const again = await anonymous.auth.verifySignUp.mutate({ token }).catch((e: unknown) => e);
    expect(errorCode(again)).toBe('BAD_REQUEST');
    expect((again as Error).message).toMatch(/already used.*Sign in, or reset your password/);
    // At rest: the token's hash only, and the copy of the sent email leaves the token out.
    const rows = await t.database.db.$client.query(
      `select 1 from outgoing_mail where to_address = $1 and (text like $2 or html like $2)`,
      [fresh, `%${token}%`],
    );
    expect(rows.rowCount).toBe(0);
    expect(
      (
        await t.database.db.$client.query(`select 1 from account_tokens where token_hash = $1`, [
          token,
        ])
      ).rowCount,
    ).toBe(0);
  });

  it("a stranger's later sign-up for a pending email cannot replace the owner's password", async () => {
    const email = `pending-${randomUUID().slice(0, 8)}@example.com`;
    await anonymous.auth.signUp.mutate({ email, name: 'Owner', password: 'the owner password' });
    const owners = await mailedLink(email, finishSubject, 1, '/verify-email');
    await anonymous.auth.signUp.mutate({
      email,
      name: 'Stranger',
      password: 'the stranger password',
    });
    // A second, independent link (to the owner's inbox, where the stranger cannot read it).
    const strangers = await mailedLink(email, finishSubject, 2, '/verify-email');
    expect(strangers).not.toBe(owners);

    const joined = await anonymous.auth.verifySignUp.mutate({ token: owners });
    expect(joined.user).toMatchObject({ email, name: 'Owner' });
    await anonymous.auth.signIn.mutate({ email, password: 'the owner password' });
    expect(
      errorCode(
        await anonymous.auth.signIn
          .mutate({ email, password: 'the stranger password' })
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');
    // The other link stopped working when the account was created.
    expect(
      errorCode(
        await anonymous.auth.verifySignUp.mutate({ token: strangers }).catch((e: unknown) => e),
      ),
    ).toBe('BAD_REQUEST');
    await anonymous.auth.signIn.mutate({ email, password: 'the owner password' });

    // Signing up again now gets the owner a "someone tried" note, not a link.
    await anonymous.auth.signUp.mutate({ email, name: 'Stranger', password: 'yet another one' });
    await inbox.waitFor(() => mailsTo(inbox, email, triedSubject).length === 1);
    expect(mailsTo(inbox, email, finishSubject)).toHaveLength(2);
  });

  it('an expired link fails', async () => {
    const email = `late-${randomUUID().slice(0, 8)}@example.com`;
    await anonymous.auth.signUp.mutate({ email, name: 'Late', password: 'late but sure' });
    const token = await mailedLink(email, finishSubject, 1, '/verify-email');
    await t.database.db.$client.query(
      `update account_tokens set expires_at = now() - interval '1 second' where email = $1`,
      [email],
    );
    expect(
      errorCode(await anonymous.auth.verifySignUp.mutate({ token }).catch((e: unknown) => e)),
    ).toBe('BAD_REQUEST');
    const rows = await t.database.db.$client.query(`select 1 from users where email = $1`, [email]);
    expect(rows.rowCount).toBe(0);
  });

  it('a chat guest who signs up gets an account holding the conversations they started', async () => {
    const { token: adminToken } = await t.server.services.auth.createSession(users.admin.id);
    const site = await httpClient(t.url, { token: adminToken }).widgets.create.mutate({
      name: 'Shop',
      allowedOrigins: ['https://shop.example'],
    });
    const email = `vera-${randomUUID().slice(0, 8)}@example.com`;
    const chat = await anonymous.widget.start.mutate({
      siteKey: site.siteKey,
      hostOrigin: 'https://shop.example',
      name: 'Vera (chat)',
      email,
      message: 'Where is my order?',
      clientId: randomUUID(),
    });

    // The contact cannot sign in, and counts as "no account yet": a link, not a note.
    await anonymous.auth.signUp.mutate({ email, name: 'Vera', password: 'vera signs up' });
    const token = await mailedLink(email, finishSubject, 1, '/verify-email');
    expect(mailsTo(inbox, email, triedSubject)).toEqual([]);

    const joined = await anonymous.auth.verifySignUp.mutate({ token, issueToken: true });
    expect(joined.user).toMatchObject({ email, name: 'Vera', role: 'customer' });
    const vera = httpClient(t.url, { token: joined.token });
    const mine = await vera.tickets.list.query({});
    expect(mine.items.map((ticket) => ticket.id)).toEqual([chat.ticket.id]);
    const ticket = await vera.tickets.byId.query({ ticketId: chat.ticket.id });
    expect(ticket).toMatchObject({ description: 'Where is my order?', channel: 'widget' });
  });
});

describe('sign-up without SMTP (a fresh `pnpm start`)', () => {
  it('keeps the email, link included, under Outgoing mail, and the link finishes the sign-up', async () => {
    await using t = await startTestServer({ notify: { pollMs: 200 } });
    const users = await createSupportDeskUsers(t.database.db);
    const { token: adminToken } = await t.server.services.auth.createSession(users.admin.id);
    const admin = httpClient(t.url, { token: adminToken });
    const email = 'no-smtp@example.com';
    await httpClient(t.url).auth.signUp.mutate({
      email,
      name: 'Nora',
      password: 'kept mail works',
    });
    const kept = async () =>
      (await admin.notifications.outgoingMail.list.query({})).items.filter((m) => m.to === email);
    await expect
      .poll(kept, { timeout: 15_000 })
      .toEqual([expect.objectContaining({ status: 'kept', kind: 'sign_up' })]);
    const [mail] = await kept();
    const token = /\/verify-email\?token=([\w-]+)/.exec(mail!.text)?.[1];
    expect(token).toBeTruthy();
    const joined = await httpClient(t.url).auth.verifySignUp.mutate({ token: token! });
    expect(joined.user).toMatchObject({ email, name: 'Nora', role: 'customer' });
  });
});
