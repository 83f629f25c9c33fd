-- Commit-ordered event ids (see docs/architecture.md, "The cursor trap").
-- A bigserial id is drawn at INSERT, not at COMMIT, so two transactions could commit
-- out of id order and a reader resuming from `id > cursor` would skip one for ever.
-- Here every inserting transaction first takes one transaction-scoped advisory lock,
-- held until it commits or aborts, and only then draws the id: ids are therefore
-- handed out in commit order. Application code inserts events last in a transaction
-- so the lock is held only for the final statement and the commit.
CREATE FUNCTION events_assign_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7201309853);
  NEW.id := nextval('events_id_seq');
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER events_assign_id BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION events_assign_id();--> statement-breakpoint
-- The wake-up: one per statement, with an empty payload so that Postgres folds the
-- notifications of one transaction into one. It carries no row data: listeners read
-- the log from their own cursor.
CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('parley_events', '');
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER events_notify AFTER INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_notify();--> statement-breakpoint
ALTER TABLE rate_limits SET UNLOGGED;
