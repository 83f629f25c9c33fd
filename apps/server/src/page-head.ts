import { getHelpArticle, type Db } from '@parley/db';

/** What goes into `<head>` before any script runs. */
export type PageHead = { title: string; description: string };

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * The title and description of a public help article's page (`/help/<slug>`), so
 * search engines and link previews see the article without running the app. Anything
 * else (another page, a draft, a customers-only article) keeps the app's own head.
 */
export async function pageHeadFor(db: Db, pathname: string): Promise<PageHead | null> {
  const slug = /^\/help\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(pathname)?.[1];
  if (!slug || slug.length > 80) return null;
  const article = await getHelpArticle(db, { reader: null, slug });
  if (!article) return null;
  return { title: `${article.title} · Parley Help`, description: article.summary || article.title };
}

/** index.html with `head`'s title and description in place of the app's. */
export function withHead(html: string, head: PageHead): string {
  const description = `<meta name="description" content="${escapeHtml(head.description)}" />`;
  return html
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(head.title)}</title>`)
    .replace(/<meta name="description"[^>]*>/, description);
}
