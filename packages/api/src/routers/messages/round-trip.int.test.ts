import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, openDesk, ticketEvents, ticketInput, type Desk } from '../../testing';

/**
 * Writes that travel with COMMIT are sent with their values written inline as SQL
 * literals (packages/db/src/at-commit.ts). Whatever a person types must come back
 * exactly as typed, from the thread and from the event log: quotes, backslashes,
 * `$1`-like text, SQL, newlines, any Unicode.
 */
const tricky = fc.constantFrom(
  "O'Brien",
  "''",
  '\\',
  "\\'",
  "E'\\x41'",
  '$1 $2 $10 $$ $tag$',
  "'); drop table messages; --",
  '{"json": "yes", "n": [1, 2]}',
  '{a,b}',
  'line one\nline two\r\n\ttabbed',
  '🙂 é ß 中文 \u200b',
  '%s %d ?',
);
/** Text a person might type: printable Unicode, no NUL, no lone surrogate, not blank. */
const typed = fc
  .array(fc.oneof(tricky, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 })), {
    minLength: 1,
    maxLength: 5,
  })
  .map((parts) => parts.join(' ').trim())
  .filter((body) => body.length > 0 && !body.includes('\u0000'));

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk({ limits: { messagesPerUser: { max: 100_000, windowSeconds: 60 } } });
});
afterAll(async () => {
  await desk[Symbol.asyncDispose]();
});

describe('values written with COMMIT', () => {
  it('come back exactly as sent, in the thread and in the event log', async () => {
    const { customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await fc.assert(
      fc.asyncProperty(typed, async (body) => {
        const sent = await customerA.messages.send({
          ticketId: ticket.id,
          body,
          clientId: randomUUID(),
        });
        expect(sent.body).toBe(body);
        const [stored] = (
          await customerA.messages.list({ ticketId: ticket.id, after: sent.seq - 1, limit: 1 })
        ).items;
        expect(stored?.body).toBe(body);
        const logged = (await ticketEvents(desk.db, ticket.id)).at(-1);
        expect((logged?.payload as { body: string }).body).toBe(body);
      }),
      { numRuns: 60 },
    );
  });

  it('keep a name with quotes and backslashes intact in system messages', async () => {
    const name = `Dana O'Brien \\ "$1" '); --`;
    const agent = await createTestUser(desk.db, 'agent', { name });
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    await desk.callers.admin.tickets.update({ ticketId: ticket.id, assigneeId: agent.id });
    const thread = await desk.callers.customerA.messages.list({ ticketId: ticket.id, limit: 10 });
    expect(thread.items.map((m) => m.body)).toContain(
      `${name} joined the conversation (added by ${desk.users.admin.name})`,
    );
  });
});
