/**
 * Another application talking to Parley: it knows the whole API surface at compile
 * time from one type-only import, and needs nothing of Parley at run time but HTTP
 * and a WebSocket.
 *
 *   PARLEY_URL=http://localhost:3000 PARLEY_EMAIL=… PARLEY_PASSWORD=… pnpm start
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
  log?: (line: string) => void;
};

export type RunResult = {
  user: { id: string; email: string; role: string };
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
  log = () => {},
}: RunOptions): Promise<RunResult> {
  const { user, token } = await client(url).auth.signIn.mutate({
    email,
    password,
    issueToken: true,
  });
  if (!token) throw new Error('the server did not issue a token');
  log(`signed in as ${user.name} <${user.email}> (${user.role})`);

  const inbox = openInbox(url, token);
  try {
    await inbox.ready;
    const parley = client(url, token);
    const ticket = await parley.tickets.create.mutate({
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { PARLEY_URL = 'http://localhost:3000', PARLEY_EMAIL, PARLEY_PASSWORD } = process.env;
  if (!PARLEY_EMAIL || !PARLEY_PASSWORD) {
    console.error(
      'set PARLEY_EMAIL and PARLEY_PASSWORD (and PARLEY_URL, default http://localhost:3000)',
    );
    process.exit(2);
  }
  run({
    url: PARLEY_URL,
    email: PARLEY_EMAIL,
    password: PARLEY_PASSWORD,
    log: (line) => console.log(line),
  }).catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
