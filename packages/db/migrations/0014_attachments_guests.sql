CREATE TABLE "file_deletions" (
	"key" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "guest_session_id" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_guest_session_id_guest_sessions_id_fk" FOREIGN KEY ("guest_session_id") REFERENCES "public"."guest_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Every driver's files go with their row, however the row goes: the keys are queued
-- here and the server's sweep deletes them from the storage (PostgreSQL's chunks are
-- also deleted at once by attachments_bytes_delete).
CREATE FUNCTION parley_attachment_files_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO file_deletions (key) VALUES (OLD.id::text), (OLD.id::text || '.thumb')
    ON CONFLICT (key) DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER attachments_files_forget AFTER DELETE ON attachments
  FOR EACH ROW EXECUTE FUNCTION parley_attachment_files_forget();
