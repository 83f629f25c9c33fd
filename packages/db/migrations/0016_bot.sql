CREATE TYPE "public"."ticket_bot_state" AS ENUM('none', 'active', 'handed_off');--> statement-breakpoint
ALTER TABLE "widgets" ADD COLUMN "bot_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "metadata" jsonb;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "bot_state" "ticket_bot_state" DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "bot_failures" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "handed_off_at" timestamp with time zone;