import { useState } from 'react';
import type { RouterOutputs } from '../../trpc';

type OutgoingMail = RouterOutputs['notifications']['outgoingMail']['list']['items'][number];

/**
 * One email as its recipient would see it. The HTML runs in a sandboxed iframe with no
 * permissions at all (no scripts, no same origin, no forms): it is Parley's own
 * template, but it quotes what customers wrote.
 */
export function MailPreview({ mail }: { mail: OutgoingMail }) {
  const [asText, setAsText] = useState(false);
  return (
    <article className="card card--padded" aria-label="Email" data-testid="mail-preview">
      <h2 className="page__title">{mail.subject}</h2>
      <dl>
        <dt>To</dt>
        <dd>{mail.to}</dd>
        {mail.error ? (
          <>
            <dt>Last error</dt>
            <dd>{mail.error}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <button type="button" className="button button--small" onClick={() => setAsText(!asText)}>
          {asText ? 'Show as HTML' : 'Show as plain text'}
        </button>
      </p>
      {asText ? (
        <pre style={{ whiteSpace: 'pre-wrap' }}>{mail.text}</pre>
      ) : (
        <iframe
          title={`Email: ${mail.subject}`}
          sandbox=""
          srcDoc={mail.html}
          style={{ width: '100%', height: 520, border: '1px solid var(--border, #d8d8e0)' }}
        />
      )}
    </article>
  );
}
