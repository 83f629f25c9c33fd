import type { MouseEvent } from 'react';
import { useNavigate } from 'react-router';

/**
 * An article's body. The HTML comes from the server's Markdown renderer, which shows
 * raw HTML as text, keeps only http(s), mailto and relative links and adds
 * rel="noopener" (packages/api/src/domain/markdown.ts, property-tested): it is the one
 * place the web app sets HTML, and never with text a customer wrote. Links within
 * Parley ("/help/…", "/tickets/new") open in the app without reloading it.
 */
export function ArticleBody({ html }: { html: string }) {
  const navigate = useNavigate();
  function followInAppLinks(event: MouseEvent<HTMLDivElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    const link = (event.target as Element).closest('a');
    const href = link?.getAttribute('href');
    if (!link || !href || link.target || !href.startsWith('/') || href.startsWith('//')) return;
    event.preventDefault();
    void navigate(href);
  }
  return (
    // Enter on a focused link fires `click` too: keyboard users follow links the same way.
    <div
      className="article-body"
      onClick={followInAppLinks}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
