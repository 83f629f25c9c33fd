CREATE TYPE "public"."ticket_channel" AS ENUM('portal', 'widget', 'api', 'whatsapp', 'sms', 'email');--> statement-breakpoint
CREATE TYPE "public"."widget_position" AS ENUM('right', 'left');--> statement-breakpoint
CREATE TABLE "guest_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"widget_id" uuid NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "widgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"site_key" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"title" text NOT NULL,
	"color" text NOT NULL,
	"greeting" text NOT NULL,
	"position" "widget_position" DEFAULT 'right' NOT NULL,
	"require_phone" boolean DEFAULT false NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "channel" "ticket_channel" DEFAULT 'portal' NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "widget_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "guest_session_id" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "page_url" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "guest_sessions" ADD CONSTRAINT "guest_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_sessions" ADD CONSTRAINT "guest_sessions_widget_id_widgets_id_fk" FOREIGN KEY ("widget_id") REFERENCES "public"."widgets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guest_sessions_user_id_idx" ON "guest_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "guest_sessions_expires_at_idx" ON "guest_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "widgets_site_key_key" ON "widgets" USING btree ("site_key");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_widget_id_widgets_id_fk" FOREIGN KEY ("widget_id") REFERENCES "public"."widgets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_guest_session_id_guest_sessions_id_fk" FOREIGN KEY ("guest_session_id") REFERENCES "public"."guest_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_channel_updated_idx" ON "tickets" USING btree ("channel","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_guest_session_idx" ON "tickets" USING btree ("guest_session_id") WHERE "tickets"."guest_session_id" is not null;