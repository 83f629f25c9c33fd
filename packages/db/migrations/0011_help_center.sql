-- Help centre search (help.articles.list `q`, help.suggest). One English configuration
-- as for tickets (0003), plus the words as written (`simple`), so a half-typed word
-- finds its article by prefix ("shippi" → "shipping", whose English stem is "ship").
CREATE FUNCTION parley_help_tsv(title text, summary text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', title), 'A')
      || setweight(to_tsvector('simple', title), 'A')
      || setweight(to_tsvector('english', summary), 'B')
      || setweight(to_tsvector('simple', summary), 'B')
      || setweight(to_tsvector('english', left(body, 200000)), 'C')
      || setweight(to_tsvector('simple', left(body, 200000)), 'D')
$$;--> statement-breakpoint
-- What someone typed, as one query per word: the English stem of the word, and for the
-- last word (perhaps half typed) also any word starting with it. Stop words ("how",
-- "the", "my") are left out; at most 16 distinct words count.
CREATE FUNCTION parley_help_terms(q text)
RETURNS tsquery[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH words AS (
    SELECT w, n, max(n) OVER () AS last
    FROM regexp_split_to_table(lower(left(q, 500)), '[^[:alnum:]]+') WITH ORDINALITY AS t(w, n)
    WHERE w <> ''
  ), terms AS (
    SELECT DISTINCT ON (plainto_tsquery('english', w)::text)
      n,
      CASE WHEN n = last
        THEN plainto_tsquery('english', w) || to_tsquery('simple', quote_literal(w) || ':*')
        ELSE plainto_tsquery('english', w)
      END AS term
    FROM words
    WHERE length(to_tsvector('english', w)) > 0
    ORDER BY plainto_tsquery('english', w)::text, n DESC
  )
  SELECT coalesce(array_agg(term ORDER BY n), '{}')
  FROM (SELECT * FROM terms ORDER BY n DESC LIMIT 16) kept
$$;--> statement-breakpoint
-- Every word must match (the search box); NULL (matches nothing) without words.
CREATE FUNCTION parley_help_all(q text)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  result tsquery;
  term tsquery;
BEGIN
  FOREACH term IN ARRAY parley_help_terms(q) LOOP
    result := CASE WHEN result IS NULL THEN term ELSE result && term END;
  END LOOP;
  RETURN result;
END
$$;--> statement-breakpoint
-- Any word may match (help.suggest's candidates); NULL without words.
CREATE FUNCTION parley_help_any(q text)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  result tsquery;
  term tsquery;
BEGIN
  FOREACH term IN ARRAY parley_help_terms(q) LOOP
    result := CASE WHEN result IS NULL THEN term ELSE result || term END;
  END LOOP;
  RETURN result;
END
$$;--> statement-breakpoint
CREATE TYPE "public"."help_deflection_outcome" AS ENUM('deflected', 'ticket');--> statement-breakpoint
CREATE TYPE "public"."help_article_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TYPE "public"."help_audience" AS ENUM('public', 'customers');--> statement-breakpoint
CREATE TABLE "bot_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"phrasings" text[] NOT NULL,
	"reply" text NOT NULL,
	"article_id" uuid,
	"enabled" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"updated_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"collection_id" uuid,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"audience" "help_audience" DEFAULT 'public' NOT NULL,
	"status" "help_article_status" DEFAULT 'draft' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"helpful_count" integer DEFAULT 0 NOT NULL,
	"not_helpful_count" integer DEFAULT 0 NOT NULL,
	"updated_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (parley_help_tsv(title, summary, body)) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_collections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_deflections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"user_id" uuid,
	"outcome" "help_deflection_outcome" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bot_answers" ADD CONSTRAINT "bot_answers_article_id_help_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."help_articles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_answers" ADD CONSTRAINT "bot_answers_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_articles" ADD CONSTRAINT "help_articles_collection_id_help_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."help_collections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_articles" ADD CONSTRAINT "help_articles_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_deflections" ADD CONSTRAINT "help_deflections_article_id_help_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."help_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_deflections" ADD CONSTRAINT "help_deflections_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "help_articles_slug_key" ON "help_articles" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "help_articles_search_idx" ON "help_articles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "help_articles_collection_idx" ON "help_articles" USING btree ("collection_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "help_collections_slug_key" ON "help_collections" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "help_deflections_article_idx" ON "help_deflections" USING btree ("article_id","created_at");--> statement-breakpoint
CREATE INDEX "help_deflections_created_idx" ON "help_deflections" USING btree ("created_at");