ALTER TYPE "public"."account_token_purpose" ADD VALUE 'sign_up';--> statement-breakpoint
ALTER TABLE "account_tokens" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "account_tokens" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "account_tokens" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "account_tokens" ADD COLUMN "password_hash" text;--> statement-breakpoint
CREATE INDEX "account_tokens_email_idx" ON "account_tokens" USING btree ("email") WHERE "account_tokens"."email" is not null;--> statement-breakpoint
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_or_sign_up" CHECK (("account_tokens"."user_id" is not null and "account_tokens"."email" is null) or ("account_tokens"."user_id" is null and "account_tokens"."email" is not null and "account_tokens"."name" is not null and "account_tokens"."password_hash" is not null));