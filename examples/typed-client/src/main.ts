/**
 * Another application talking to Parley: it knows the whole API surface at compile
 * time from one type-only import, and needs nothing of Parley at run time but HTTP
 * and a WebSocket.
 *
 *   PARLEY_URL=http://localhost:3000 PARLEY_EMAIL=… PARLEY_PASSWORD=… pnpm start
 *
 * With a customer's account it opens a ticket of their own. With an agent's or an
 * admin's (the demo admin) it opens one for the customer named by
 * PARLEY_CUSTOMER_EMAIL, as an agent does for a customer who phones in.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { AppRouter, TicketSummary } from '@parley/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { openInbox, type InboxChange } from './inbox';

export type RunOptions = {
  url: string;
  email: string;
  password: string;
  /** For an agent or admin account: the customer the ticket is opened for. */
  customerEmail?: string;
  log?: (line: string) => void;
};

export type RunResult = {
  user: { id: string; email: string; role: string };
  /** Whose ticket it is: the signed-in customer, or the one named by `customerEmail`. */
  customer: { id: string; email: string };
  ticket: { id: string; number: number; status: string };
  message: { seq: number; body: string };
  /** Changes to the new ticket, as they arrived on the live inbox subscription. */
  inbox: string[];
  tickets: Pick<TicketSummary, 'id' | 'number' | 'subject' | 'status' | 'lastMessagePreview'>[];
  total: number;
};

function client(url: string, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url.replace(/\/$/, '')}/trpc`,
        // The server takes at most 50 calls per batch.
        maxItems: 50,
        // Apps send the session token they got from signIn; browsers use the cookie.
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

/**
 * Signs in for a token, subscribes to the live inbox over WebSocket, opens a ticket,
 * writes in it (both changes arrive on the inbox), and lists the caller's tickets.
 */
export async function run({
  url,
  email,
  password,
  customerEmail,
  log = () => {},
}: RunOptions): Promise<RunResult> {
  const { user, token } = await client(url).auth.signIn.mutate({
    email,
    password,
    issueToken: true,
  });
  if (!token) throw new Error('the server did not issue a token');
  log(`signed in as ${user.name} <${user.email}> (${user.role})`);
  const parley = client(url, token);
  const customer =
    user.role === 'customer'
      ? { id: user.id, email: user.email }
      : await findCustomer(parley, user.role, customerEmail);
  if (customer.id !== user.id) log(`opening the ticket for ${customer.email}`);

  const inbox = openInbox(url, token);
  try {
    await inbox.ready;
    const ticket = await parley.tickets.create.mutate({
      // Agents and admins say whose ticket it is; a customer's is their own.
      ...(customer.id === user.id ? {} : { customerId: customer.id }),
      subject: 'Invoice needed for my last order',
      description: 'Our accounting system needs a PDF invoice with our VAT number.',
      category: 'order',
      // Retrying with the same clientId returns the same ticket instead of a second one.
      clientId: randomUUID(),
    });
    log(`opened ticket #${ticket.number} (${ticket.status})`);

    const message = await parley.messages.send.mutate({
      ticketId: ticket.id,
      body: 'The VAT number is DE123456789.',
      clientId: randomUUID(),
    });
    log(`sent message ${message.seq} on #${ticket.number}`);

    const mine = (type: string) => (change: InboxChange) =>
      change.type === type && change.ticketId === ticket.id;
    const inboxSeen = [
      (await inbox.waitFor(mine('ticket.created'))).type,
      (await inbox.waitFor(mine('message.created'))).type,
    ];
    log(`inbox: ${inboxSeen.join(', ')}`);

    const page = await parley.tickets.list.query({ sort: 'updated_desc', limit: 10 });
    for (const item of page.items)
      log(`  #${item.number} ${item.status.padEnd(16)} ${item.subject}`);

    return {
      user: { id: user.id, email: user.email, role: user.role },
      customer,
      ticket: { id: ticket.id, number: ticket.number, status: ticket.status },
      message: { seq: message.seq, body: message.body },
      inbox: inboxSeen,
      tickets: page.items.map(({ id, number, subject, status, lastMessagePreview }) => ({
        id,
        number,
        subject,
        status,
        lastMessagePreview,
      })),
      total: page.total,
    };
  } finally {
    await inbox.close();
  }
}

/** The customer an agent or admin opens the ticket for, found by email. */
async function findCustomer(
  parley: ReturnType<typeof client>,
  role: string,
  customerEmail: string | undefined,
): Promise<{ id: string; email: string }> {
  if (!customerEmail) {
    throw new Error(
      `signed in as an ${role}: tickets belong to a customer, so sign in as a customer ` +
        `(one who signed up in the app) or name one with PARLEY_CUSTOMER_EMAIL`,
    );
  }
  const wanted = customerEmail.trim().toLowerCase();
  const found = (await parley.users.list.query({ role: ['customer'], q: wanted })).find(
    (candidate) => candidate.email === wanted,
  );
  if (!found) {
    throw new Error(`No customer with the email ${wanted}: they sign up in the app first`);
  }
  return { id: found.id, email: found.email };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const {
    PARLEY_URL = 'http://localhost:3000',
    PARLEY_EMAIL,
    PARLEY_PASSWORD,
    PARLEY_CUSTOMER_EMAIL,
  } = process.env;
  if (!PARLEY_EMAIL || !PARLEY_PASSWORD) {
    console.error(
      'set PARLEY_EMAIL and PARLEY_PASSWORD (and PARLEY_URL, default http://localhost:3000; ' +
        'with an agent or admin account, PARLEY_CUSTOMER_EMAIL: the customer the ticket is for)',
    );
    process.exit(2);
  }
  run({
    url: PARLEY_URL,
    email: PARLEY_EMAIL,
    password: PARLEY_PASSWORD,
    ...(PARLEY_CUSTOMER_EMAIL ? { customerEmail: PARLEY_CUSTOMER_EMAIL } : {}),
    log: (line) => console.log(line),
  }).catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
