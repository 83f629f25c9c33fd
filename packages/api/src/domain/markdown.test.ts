import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeUrl, renderMarkdown } from './markdown';

/**
 * Hostile Markdown renders inert (docs/test-plan.md 40): whatever an article's body
 * holds, the HTML has only the renderer's own tags and attributes, no script, no event
 * handler, no `javascript:`-like address, and every link has `rel="noopener"`.
 */

const allowedAttributes: Record<string, string[]> = {
  a: ['href', 'rel', 'target', 'title'],
  img: ['src', 'alt', 'title'],
  ol: ['start'],
  code: ['class'],
  th: ['style'],
  td: ['style'],
};
const allowedTags = new Set([
  ...Object.keys(allowedAttributes),
  ...['p', 'br', 'hr', 'em', 'strong', 's', 'blockquote', 'pre', 'ul', 'li'],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr'],
]);

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every problem with the HTML, as readable strings (empty: inert). */
function problems(html: string): string[] {
  const found: string[] = [];
  for (const [, name = '', attributes = ''] of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const tag = name.toLowerCase();
    if (!allowedTags.has(tag)) found.push(`tag <${tag}>`);
    const rest = attributes.replace(/\s([\w-]+)="([^"]*)"/g, (_, attr: string, raw: string) => {
      const value = decodeEntities(raw);
      if (!(allowedAttributes[tag] ?? []).includes(attr)) found.push(`<${tag} ${attr}>`);
      if ((attr === 'href' || attr === 'src') && !isSafeUrl(value)) found.push(`${attr}=${value}`);
      if (attr === 'style' && !/^text-align:(left|right|center)$/.test(value))
        found.push(`style=${value}`);
      return '';
    });
    if (rest.trim() !== '' && rest.trim() !== '/') found.push(`<${tag}${rest}>`);
    if (tag === 'a' && !/\srel="[^"]*\bnoopener\b/.test(attributes))
      found.push('a without noopener');
  }
  return found;
}

const hostile = fc.constantFrom(
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;avascript&colon;alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD4=)',
  '[click]( javascript:alert(1))',
  '[click](<javascript:alert(1)>)',
  '![img](javascript:alert(1))',
  '![img](data:image/svg+xml,<svg onload=alert(1)>)',
  '[ref]: javascript:alert(1)\n\n[ref]',
  '<javascript:alert(1)>',
  '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
  '```js" onclick="alert(1)\ncode\n```',
  '| a | b |\n|:-|-:|\n| <b onclick=x>1</b> | 2 |',
  '<style>body{display:none}</style>',
  '<!-- comment --><div onclick="x">',
  '[ok](https://example.com/path?q=1)',
  '[ok](/help/refunds)',
  'mailto:someone@example.com',
  'www.example.com/javascript:alert(1)',
);
const markdownish = fc.constantFrom(
  '# ',
  '## ',
  '> ',
  '- ',
  '1. ',
  '**',
  '_',
  '`',
  '\n',
  '\n\n',
  '    ',
  '[',
  '](',
  ')',
  '<',
  '>',
  '"',
  "'",
  '&',
  ':',
  '=',
);
const fragment = fc.oneof(hostile, markdownish, fc.string({ maxLength: 12 }));
const body = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

describe('Markdown rendering', () => {
  it('renders every hostile body inert (property)', () => {
    fc.assert(
      fc.property(body, (markdown) => {
        expect(problems(renderMarkdown(markdown))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps what articles need: headings, lists, emphasis, code, tables, safe links', () => {
    const html = renderMarkdown(
      '## Returns\n\n1. Pack it\n2. **Send** it\n\n`code` and [our policy](/help/returns) or [the shop](https://shop.example).',
    );
    expect(html).toContain('<h2>Returns</h2>');
    expect(html).toContain('<ol>');
    expect(html).toContain('<strong>Send</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<a href="/help/returns" rel="noopener noreferrer">our policy</a>');
    expect(html).toContain(
      '<a href="https://shop.example" rel="noopener noreferrer" target="_blank">the shop</a>',
    );
    expect(problems(html)).toEqual([]);
  });

  it('shows raw HTML as text and drops unsafe addresses', () => {
    const html = renderMarkdown('<script>alert(1)</script> [x](javascript:alert(1))');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href');
  });
});
