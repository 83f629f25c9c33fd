/**
 * An article's body. The HTML comes from the server's Markdown renderer, which shows
 * raw HTML as text, keeps only http(s), mailto and relative links and adds
 * rel="noopener" (packages/api/src/domain/markdown.ts, property-tested): it is the one
 * place the web app sets HTML, and never with text a customer wrote.
 */
export function ArticleBody({ html }: { html: string }) {
  return <div className="article-body" dangerouslySetInnerHTML={{ __html: html }} />;
}
