import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing';
import { seedDemoData } from './seed-demo-data';

describe('seedDemoData', () => {
  it('fills a database with consistent tickets, threads, read positions and search vectors', async () => {
    await using test = await createTestDatabase();
    const result = await seedDemoData(test.db, {
      tickets: 300,
      passwordHash: 'not-a-real-hash',
      batchSize: 70,
    });
    expect(result).toMatchObject({ tickets: 300, customers: 60, agents: 3, helpArticles: 21 });
    expect(result.messages).toBeGreaterThan(1500);

    const one = async (query: ReturnType<typeof sql>) =>
      (await test.db.execute(query)).rows[0] as Record<string, number>;
    expect(await one(sql`select count(*)::int as n from tickets`)).toEqual({ n: 300 });
    expect(await one(sql`select count(*)::int as n from messages`)).toEqual({ n: result.messages });
    expect(await one(sql`select count(*)::int as n from ticket_search`)).toEqual({ n: 300 });
    // Counters agree with the rows, seq runs 1..n without gaps, numbers follow creation.
    const inconsistent = await one(sql`
      select count(*)::int as n from tickets t left join lateral (
        select count(*) filter (where author_role <> 'system') as all_n,
               count(*) filter (where author_role <> 'system' and not internal) as public_n,
               count(*) as rows_n, coalesce(max(seq), 0) as max_seq, max(created_at) as last_at,
               count(*) filter (where author_role = 'agent' and not internal) as responses,
               min(created_at) filter (where author_role = 'agent' and not internal) as first_response
        from messages m where m.ticket_id = t.id) m on true
      where t.message_count <> m.all_n or t.public_message_count <> m.public_n or t.last_seq <> m.max_seq
         or t.last_seq <> m.rows_n or t.response_count <> m.responses
         or t.first_response_at is distinct from m.first_response
         or t.last_message_at is distinct from m.last_at
         or t.updated_at < t.created_at or t.updated_at > now()`);
    expect(inconsistent).toEqual({ n: 0 });
    expect(
      await one(sql`select count(*)::int as n from (
        select number, created_at, lag(created_at) over (order by number) as previous from tickets) x
        where previous > created_at`),
    ).toEqual({ n: 0 });
    const lifecycle = await one(sql`select
      count(*) filter (where status in ('resolved', 'closed') and resolved_at is null)::int as unresolved_done,
      count(*) filter (where status = 'closed' and closed_at is null)::int as unclosed,
      count(*) filter (where status not in ('resolved', 'closed') and (resolved_at is not null or rating_score is not null))::int as active_resolved,
      count(*) filter (where status = 'waiting_customer' and first_response_at is null)::int as waiting_unanswered
      from tickets`);
    expect(lifecycle).toEqual({
      unresolved_done: 0,
      unclosed: 0,
      active_resolved: 0,
      waiting_unanswered: 0,
    });
    // Search finds words of the threads.
    expect(
      await one(
        sql`select count(*)::int > 0 as found from ticket_search where public @@ parley_tsquery('refund')`,
      ),
    ).toEqual({
      found: true,
    });

    // The help centre: published articles in collections, found by a stemmed word.
    expect(
      await one(sql`select count(*) filter (where status = 'published')::int as published,
        count(*) filter (where collection_id is null)::int as loose,
        count(*) filter (where search @@ parley_help_all('refunded'))::int as refund_hits
        from help_articles`),
    ).toEqual({ published: 20, loose: 0, refund_hits: 8 });
    expect(await one(sql`select count(*)::int as n from bot_answers`)).toEqual({ n: 4 });

    // A second run adds more tickets and reuses the users and the help centre.
    await seedDemoData(test.db, { tickets: 20, passwordHash: 'not-a-real-hash', seed: 7 });
    expect(await one(sql`select count(*)::int as n from tickets`)).toEqual({ n: 320 });
    expect(await one(sql`select count(*)::int as n from help_articles`)).toEqual({ n: 21 });
    expect(await one(sql`select count(*)::int as n from bot_answers`)).toEqual({ n: 4 });
  }, 120_000);
});
