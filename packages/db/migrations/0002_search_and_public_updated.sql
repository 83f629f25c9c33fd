CREATE TABLE "ticket_search" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"public" "tsvector" NOT NULL,
	"internal" "tsvector" DEFAULT ''::tsvector NOT NULL
);
--> statement-breakpoint
DROP INDEX "tickets_customer_updated_idx";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "public_updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_search" ADD CONSTRAINT "ticket_search_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_search_public_idx" ON "ticket_search" USING gin ("public");--> statement-breakpoint
CREATE INDEX "ticket_search_internal_idx" ON "ticket_search" USING gin ("internal");--> statement-breakpoint
CREATE INDEX "tickets_customer_public_updated_idx" ON "tickets" USING btree ("customer_id","public_updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_priority_updated_idx" ON "tickets" USING btree ("priority" DESC NULLS LAST,"updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_resolved_at_idx" ON "tickets" USING btree ("resolved_at");