import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from './migrate';
import { events, messages, tickets, users } from './schema';
import { createTestDatabase } from './testing';

/**
 * Migration 0007 on rows written by the earlier rules: applied again to a database
 * holding such rows (its statements are idempotent), it brings them in line.
 */
describe('migration 0007_system_lines_and_counts', () => {
  it('makes the in-between lines agents-only, recounts written messages, clears reopened ratings', async () => {
    await using test = await createTestDatabase();
    const [customer] = await test.db
      .insert(users)
      .values({ email: 'm@example.com', name: 'M', passwordHash: 'x' })
      .returning();
    const [ticket] = await test.db
      .insert(tickets)
      .values({
        subject: 'Old',
        description: 'Old rules',
        customerId: customer!.id,
        status: 'open',
        lastSeq: 5,
        // The old counts included system lines.
        messageCount: 5,
        publicMessageCount: 4,
        ratingScore: 4,
        ratedAt: new Date(),
      })
      .returning();
    const lines: Array<[string, 'customer' | 'agent' | 'system', boolean]> = [
      ['Hello', 'customer', false],
      ['Status changed to Waiting on customer', 'system', false],
      ['Priority changed to Urgent', 'system', false],
      ['Status changed to Resolved', 'system', false],
      ['A note', 'agent', true],
    ];
    const rows = lines.map(([body, authorRole, internal], i) => ({
      ticketId: ticket!.id,
      seq: i + 1,
      authorId: authorRole === 'system' ? null : customer!.id,
      authorRole,
      body,
      internal,
    }));
    const inserted = await test.db.insert(messages).values(rows).returning();
    await test.db.insert(events).values(
      inserted.map((m) => ({
        ticketId: ticket!.id,
        customerId: customer!.id,
        type: 'message.created',
        audience: m.internal ? ('agents' as const) : ('all' as const),
        payload: { id: m.id, body: m.body, internal: m.internal, author: { role: m.authorRole } },
      })),
    );

    const migration = await readFile(
      path.join(migrationsFolder, '0007_system_lines_and_counts.sql'),
      'utf8',
    );
    for (const statement of migration.split('--> statement-breakpoint')) {
      await test.db.execute(sql.raw(statement));
    }

    const after = await test.db
      .select({ body: messages.body, internal: messages.internal })
      .from(messages)
      .where(eq(messages.ticketId, ticket!.id))
      .orderBy(asc(messages.seq));
    expect(after.filter((m) => m.internal).map((m) => m.body)).toEqual([
      'Status changed to Waiting on customer',
      'Priority changed to Urgent',
      'A note',
    ]);
    const logged = await test.db
      .select()
      .from(events)
      .where(eq(events.ticketId, ticket!.id))
      .orderBy(asc(events.id));
    expect(
      logged.map((e) => [
        (e.payload as { body: string }).body,
        e.audience,
        (e.payload as { internal: boolean }).internal,
      ]),
    ).toEqual([
      ['Hello', 'all', false],
      ['Status changed to Waiting on customer', 'agents', true],
      ['Priority changed to Urgent', 'agents', true],
      ['Status changed to Resolved', 'all', false],
      ['A note', 'agents', true],
    ]);
    const [counted] = await test.db.select().from(tickets).where(eq(tickets.id, ticket!.id));
    expect(counted).toMatchObject({
      messageCount: 2,
      publicMessageCount: 1,
      ratingScore: null,
      ratedAt: null,
    });
  });
});
