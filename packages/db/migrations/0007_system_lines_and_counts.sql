-- Custom migration (issue 11, items 10, 14 and 15): bring existing rows in line with
-- the rules the application now writes by.
--
-- 1. System lines customers no longer see (the in-between statuses, priority and
--    category changes) become agent-only, in the thread and in the event log, like
--    internal notes. "Status changed to Open" stays as it was: an old line cannot tell
--    a reopen (shown to customers) from a reply to a waiting ticket (agents only).
UPDATE "messages" SET "internal" = true
WHERE "author_role" = 'system' AND NOT "internal"
  AND ("body" LIKE 'Status changed to In progress%'
    OR "body" LIKE 'Status changed to Waiting on customer%'
    OR "body" LIKE 'Priority changed to %'
    OR "body" LIKE 'Category changed to %');
--> statement-breakpoint
UPDATE "events"
SET "audience" = 'agents', "payload" = jsonb_set("payload", '{internal}', 'true')
WHERE "type" = 'message.created' AND "audience" = 'all'
  AND "payload"->'author'->>'role' = 'system'
  AND ("payload"->>'body' LIKE 'Status changed to In progress%'
    OR "payload"->>'body' LIKE 'Status changed to Waiting on customer%'
    OR "payload"->>'body' LIKE 'Priority changed to %'
    OR "payload"->>'body' LIKE 'Category changed to %');
--> statement-breakpoint
-- 2. The stored counts are of messages people wrote: system lines are not counted.
UPDATE "tickets" t
SET "message_count" = c.all_n, "public_message_count" = c.public_n
FROM (
  SELECT t2.id,
         count(m.id) FILTER (WHERE m.author_role <> 'system') AS all_n,
         count(m.id) FILTER (WHERE m.author_role <> 'system' AND NOT m.internal) AS public_n
  FROM "tickets" t2 LEFT JOIN "messages" m ON m.ticket_id = t2.id
  GROUP BY t2.id
) c
WHERE c.id = t.id
  AND (t."message_count" <> c.all_n OR t."public_message_count" <> c.public_n);
--> statement-breakpoint
-- 3. A rating rated a resolution: a ticket that was reopened since has none.
UPDATE "tickets"
SET "rating_score" = NULL, "rating_comment" = NULL, "rated_at" = NULL
WHERE "status" IN ('open', 'in_progress', 'waiting_customer') AND "rating_score" IS NOT NULL;
