import type { ChatMessage } from './chat-client';

const articleLine = /^Read more: (\/help\/[a-z0-9-]+)$/;

/** A bot message's text, its "Read more" line as a link to the article (the frame is served by Parley). */
export function BotBody({ body }: { body: string }) {
  const lines = body.split('\n');
  const last = lines.at(-1) ?? '';
  const path = articleLine.exec(last)?.[1];
  const text = path ? lines.slice(0, -1).join('\n') : body;
  return (
    <span className="chat-bubble__body">
      {text}
      {path ? (
        <>
          {'\n'}
          <a href={path} target="_blank" rel="noopener" className="chat-bot-link">
            Read the article
          </a>
        </>
      ) : null}
    </span>
  );
}

/** The bot's author line: its name and a "Bot" label, so nobody takes it for a person. */
export function BotAuthor({ name }: { name: string }) {
  return (
    <span className="chat-bubble__author" aria-hidden="true">
      {name} <span className="chat-bot-label">Bot</span>
    </span>
  );
}

/**
 * The suggestion chips under the bot's latest message: buttons that send their text as
 * the visitor's message.
 */
export function BotChips(props: { message: ChatMessage; onPick: (text: string) => void }) {
  const suggestions = props.message.metadata?.suggestions ?? [];
  if (suggestions.length === 0) return null;
  return (
    <div
      className="chat-chips"
      role="group"
      aria-label="Suggested replies"
      data-testid="chat-chips"
    >
      {suggestions.map((text) => (
        <button key={text} type="button" className="chat-chip" onClick={() => props.onPick(text)}>
          {text}
        </button>
      ))}
    </div>
  );
}
