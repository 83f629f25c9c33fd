import MarkdownIt from 'markdown-it';

/**
 * Help articles are written in Markdown by agents and read by anyone, so the HTML is
 * made safe here, once, on the server: raw HTML in the Markdown is shown as text
 * (`html: false`), so the only tags and attributes are those the renderer itself
 * writes; links and images keep only http(s), mailto and relative addresses; every
 * link gets `rel="noopener noreferrer"` and outside links open in a new tab.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

// Control characters and whitespace a browser ignores inside a scheme ("java\tscript:").
// eslint-disable-next-line no-control-regex
const ignoredInScheme = /[\u0000-\u0020\u007f-\u009f]/g;
const allowedSchemes = new Set(['http:', 'https:', 'mailto:']);

/** Whether an address may become an `href` or `src`: an allowed scheme, or none at all. */
export function isSafeUrl(url: string): boolean {
  const compact = url.replace(ignoredInScheme, '').toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:/.exec(compact)?.[0];
  if (scheme) return allowedSchemes.has(scheme);
  // No scheme: relative, absolute path, fragment or query. "//host" is protocol-relative: fine.
  return !compact.includes(':') || /^[/?#.]/.test(compact);
}

markdown.validateLink = isSafeUrl;

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));

markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet('rel', 'noopener noreferrer');
    if (/^(https?:)?\/\//i.test(String(token.attrGet('href') ?? '')))
      token.attrSet('target', '_blank');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** The article body as sanitised HTML (see above for what "sanitised" means here). */
export function renderMarkdown(body: string): string {
  return markdown.render(body);
}
