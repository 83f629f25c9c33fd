import { randomUUID } from 'node:crypto';
import type { RouterInputs } from '@parley/api';
import type { startWorld, TestUser } from './world';

type World = Awaited<ReturnType<typeof startWorld>>;
type Api = Awaited<ReturnType<World['apiAs']>>;
type NewTicket = RouterInputs['tickets']['create'];

/** Past tickets for the dashboard's 30 days: [days ago, subject, category, score]. */
const history: [number, string, NewTicket['category'], number | null][] = [
  [27, 'Where is my order?', 'order', 5],
  [25, 'Promo code expired early', 'payment', 3],
  [24, 'How do I update my address?', 'account', 5],
  [22, 'Item arrived damaged', 'order', 4],
  [20, 'Double charge on my card', 'payment', 5],
  [19, 'App crashes on checkout', 'technical', 2],
  [17, 'Change delivery date', 'order', 5],
  [15, 'Refund not received yet', 'payment', 4],
  [14, 'Two-factor codes not arriving', 'account', 5],
  [12, 'Missing item in parcel', 'order', 4],
  [10, 'Gift wrapping request', 'general', null],
  [9, 'Cannot download invoice', 'technical', 5],
  [7, 'Size exchange', 'order', 4],
  [6, 'Newsletter unsubscribe', 'account', null],
  [4, 'Tracking link broken', 'technical', 5],
  [3, 'Loyalty points missing', 'account', 4],
  [2, 'Delivery left at wrong door', 'order', 3],
];

const send = (api: Api, ticketId: string, body: string, internal = false) =>
  api.messages.send.mutate({
    ticketId,
    body,
    clientId: randomUUID(),
    ...(internal ? { internal } : {}),
  });

/**
 * A support desk in use, for screenshots and the accessibility scan: a month of
 * resolved and rated tickets, today's queue, and one lively conversation.
 */
export async function seedDemoDesk(world: World, dana: TestUser, sam: TestUser) {
  const [cara, omar, lena, priya] = await Promise.all([
    world.createUser('customer', 'Cara Mendes'),
    world.createUser('customer', 'Omar Haddad'),
    world.createUser('customer', 'Lena Fischer'),
    world.createUser('customer', 'Priya Raman'),
  ]);
  const as = {
    cara: await world.apiAs(cara),
    omar: await world.apiAs(omar),
    lena: await world.apiAs(lena),
    priya: await world.apiAs(priya),
    dana: await world.apiAs(dana),
    sam: await world.apiAs(sam),
  };
  const customers = [as.omar, as.lena, as.priya, as.cara];

  // The past month, moved back in time after the fact (one customer's tickets at a time).
  await Promise.all(
    customers.map(async (customer, c) => {
      for (const [i, [daysAgo, subject, category, score]] of history.entries()) {
        if (i % customers.length !== c) continue;
        const ticket = await customer.tickets.create.mutate({
          subject,
          description: `${subject}.`,
          category,
        });
        const [agent, agentId] = i % 3 === 0 ? [as.sam, sam.id] : [as.dana, dana.id];
        await agent.tickets.update.mutate({ ticketId: ticket.id, assigneeId: agentId });
        await send(agent, ticket.id, 'Thanks for reaching out, I have sorted this for you.');
        await agent.tickets.update.mutate({ ticketId: ticket.id, status: 'resolved' });
        if (score) await customer.tickets.rate.mutate({ ticketId: ticket.id, score });
        await shiftTicketBack(world, ticket.id, daysAgo, i);
      }
    }),
  );

  // Today's queue.
  await as.omar.tickets.create.mutate({
    subject: 'Charged twice for order A-10311',
    description: 'My card statement shows two payments of €84.90 for the same order.',
    category: 'payment',
    priority: 'urgent',
  });
  const login = await as.lena.tickets.create.mutate({
    subject: 'Cannot sign in after resetting my password',
    description: 'The reset email worked but the new password is refused.',
    category: 'account',
    priority: 'high',
  });
  await as.sam.tickets.update.mutate({ ticketId: login.id, assigneeId: sam.id });
  await send(
    as.sam,
    login.id,
    'Sorry about that, Lena. Could you try once more in a private window?',
  );
  await as.priya.tickets.create.mutate({
    subject: 'Discount code SPRING20 was not applied',
    description: 'The code showed as valid but the total did not change.',
    category: 'payment',
  });
  await as.omar.tickets.create.mutate({
    subject: 'Suggestion: a dark mode for the app',
    description: 'Would love a dark theme for evening shopping.',
    category: 'suggestion',
    priority: 'low',
  });
  await as.lena.tickets.create.mutate({
    subject: 'Wrong size delivered',
    description: 'Ordered an M, received an XL.',
    category: 'order',
  });

  // The conversation the screenshots show.
  const parcel = await as.cara.tickets.create.mutate({
    subject: 'Parcel never arrived',
    description:
      'The tracking page has said "in transit" for ten days. It is a birthday present, so the timing matters.',
    category: 'order',
    priority: 'high',
    orderRef: 'A-10293',
  });
  await as.dana.tickets.update.mutate({ ticketId: parcel.id, assigneeId: dana.id });
  await send(
    as.dana,
    parcel.id,
    'Hi Cara, I am sorry your parcel is late. Let me check with the carrier right away.',
  );
  await send(
    as.dana,
    parcel.id,
    'Carrier portal: stuck at the Leeds depot since Tuesday. Claim CX-4471 opened.',
    true,
  );
  await send(as.cara, parcel.id, 'Thank you! The birthday is on Saturday.');
  await send(
    as.dana,
    parcel.id,
    'Understood. I have sent a replacement by express courier today, so it will arrive on Friday. You will get a new tracking link by email within the hour.',
  );
  await send(as.cara, parcel.id, 'That is perfect, thank you so much!');

  return { cara, omar, lena, priya, parcel, login, as };
}

/** Moves a ticket and its messages `days` back in time (spread over the day by `slot`). */
async function shiftTicketBack(world: World, ticketId: string, days: number, slot: number) {
  const pool = world.db().$client;
  const interval = `${days} days ${(slot * 37) % 600} minutes`;
  const { rows } = await pool.query<{ column_name: string }>(
    `select column_name from information_schema.columns
     where table_name = 'tickets' and data_type = 'timestamp with time zone'`,
  );
  // Resolution takes a few hours in this story, not the seconds the seeding took.
  const sets = rows.map(({ column_name: c }) =>
    c === 'resolved_at' || c === 'closed_at' || c === 'rated_at'
      ? `${c} = ${c} - $2::interval + interval '${3 + (slot % 5)} hours'`
      : c === 'first_response_at'
        ? `${c} = ${c} - $2::interval + interval '${20 + slot * 7} minutes'`
        : `${c} = ${c} - $2::interval`,
  );
  await pool.query(`update tickets set ${sets.join(', ')} where id = $1`, [ticketId, interval]);
  await pool.query(
    `update messages set created_at = created_at - $2::interval where ticket_id = $1`,
    [ticketId, interval],
  );
}

/**
 * Gives a fresh ticket (no messages yet) `count` alternating messages, written in one
 * statement: a long thread to scroll through, without thousands of API calls.
 */
export async function addLongThread(
  world: World,
  ticketId: string,
  customerId: string,
  agentId: string,
  count: number,
) {
  const pool = world.db().$client;
  await pool.query(
    `insert into messages (ticket_id, seq, author_id, author_role, body, internal, created_at)
     select $1, g, case when g % 2 = 0 then $3::uuid else $2::uuid end,
            (case when g % 2 = 0 then 'agent' else 'customer' end)::author_role,
            'Message ' || g, false, now() - make_interval(mins => $4 - g)
     from generate_series(1, $4::int) g`,
    [ticketId, customerId, agentId, count],
  );
  await pool.query(
    `update tickets set last_seq = $2, message_count = $2, public_message_count = $2,
       last_message_at = now(), last_public_message_at = now() where id = $1`,
    [ticketId, count],
  );
}
