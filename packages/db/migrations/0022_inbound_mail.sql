CREATE TABLE "inbound_mail" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" text NOT NULL,
	"return_path" text NOT NULL,
	"from_address" text NOT NULL,
	"recipients" text[] NOT NULL,
	"subject" text NOT NULL,
	"thread_ids" text[] NOT NULL,
	"spf" text,
	"dkim" text,
	"dmarc" text,
	"authentication_results" text,
	"size" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"contact_id" uuid,
	"ticket_id" uuid,
	"message_row_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "inbound_mail" ADD CONSTRAINT "inbound_mail_contact_id_users_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_mail" ADD CONSTRAINT "inbound_mail_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_mail" ADD CONSTRAINT "inbound_mail_message_row_id_messages_id_fk" FOREIGN KEY ("message_row_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_mail_message_id_key" ON "inbound_mail" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "inbound_mail_received_idx" ON "inbound_mail" USING btree ("received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inbound_mail_ticket_idx" ON "inbound_mail" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "outgoing_mail_message_id_idx" ON "outgoing_mail" USING btree (("headers"->>'Message-ID'));