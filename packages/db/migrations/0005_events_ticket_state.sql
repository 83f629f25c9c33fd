CREATE TABLE "ticket_baselines" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"public_updated_at" timestamp with time zone NOT NULL,
	"priority" "ticket_priority" NOT NULL,
	"status" "ticket_status" NOT NULL,
	"category" "ticket_category" NOT NULL,
	"assignee_id" uuid
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "state_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "state_public_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "state_priority" "ticket_priority";--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "state_status" "ticket_status";--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "state_category" "ticket_category";--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "state_assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "ticket_baselines" ADD CONSTRAINT "ticket_baselines_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Each event also records the ticket's list state right after it (see the columns
-- above). It is read under the event-id lock, with a fresh snapshot: every transaction
-- holding a smaller id has committed and is visible, and none holding a larger one is,
-- except this transaction's own changes. So the state recorded with event N is the
-- ticket's state as of N exactly, whatever order the writers committed in.
CREATE OR REPLACE FUNCTION events_assign_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7201309853);
  NEW.id := nextval('events_id_seq');
  SELECT t.updated_at, t.public_updated_at, t.priority, t.status, t.category, t.assignee_id
    INTO NEW.state_updated_at, NEW.state_public_updated_at, NEW.state_priority,
         NEW.state_status, NEW.state_category, NEW.state_assignee_id
    FROM tickets t WHERE t.id = NEW.ticket_id;
  RETURN NEW;
END
$$;
