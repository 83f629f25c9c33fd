-- Full-text search of tickets (tickets.list `q`). One configuration everywhere, so the
-- vectors written and the queries read agree: English stemming for prose, `simple`
-- for order references (codes, not words).
CREATE FUNCTION parley_ticket_tsv(subject text, description text, order_ref text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', subject), 'A')
      || setweight(to_tsvector('simple', coalesce(order_ref, '')), 'A')
      || setweight(to_tsvector('english', description), 'B')
$$;--> statement-breakpoint
-- Adds a message body to a ticket's vector. A tsvector is capped at 1 MB: once a
-- thread's vector is full, later words are simply not indexed; sending must never
-- fail because of search.
CREATE FUNCTION parley_tsv_append(acc tsvector, body text)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN acc || to_tsvector('english', body);
EXCEPTION WHEN program_limit_exceeded THEN
  RETURN acc;
END
$$;--> statement-breakpoint
-- What a user typed in the search box (quotes, OR, -word), never raw tsquery syntax.
CREATE FUNCTION parley_tsquery(q text)
RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT websearch_to_tsquery('english', q)
$$;
