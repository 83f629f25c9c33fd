import type { Message } from '../../api/types';
import { clockTime, fullDateTime } from '../../lib/time';
import { SystemEvent } from './message-item';

/**
 * Several changes in a row ("Dana joined", "Priority changed…", "Status changed…"),
 * folded into one line that opens to show them all.
 */
export function EventsGroup(props: {
  messages: Message[];
  expanded: boolean;
  onToggle: () => void;
}) {
  const { messages, expanded, onToggle } = props;
  const last = messages.at(-1);
  return (
    <div className="events" data-testid="events-group">
      <div className="event">
        <span className="event__line" aria-hidden="true" />
        <span className="event__text">
          <button
            type="button"
            className="link-button events__toggle"
            aria-expanded={expanded}
            onClick={onToggle}
          >
            {messages.length} changes
            <span className="visually-hidden">{expanded ? ' (hide them)' : ' (show them)'}</span>
          </button>
          {last ? (
            <time
              className="event__time"
              dateTime={last.createdAt}
              title={fullDateTime(last.createdAt)}
            >
              {clockTime(last.createdAt)}
            </time>
          ) : null}
        </span>
        <span className="event__line" aria-hidden="true" />
      </div>
      {expanded ? (
        <div className="events__list">
          {messages.map((message) => (
            <SystemEvent key={message.id} message={message} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
