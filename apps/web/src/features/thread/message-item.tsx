import type { Message } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { AttachmentList } from '../attachments/attachment-list';
import { sizeInWords } from '../attachments/upload';
import { clockTime, fullDateTime } from '../../lib/time';
import { notSentText } from './not-sent';
import type { PendingMessage } from './thread-state';

export type Viewpoint = { viewerId: string; viewerName: string; isAgent: boolean };

/** Right-hand side ("outgoing") is the viewer's side: the customer, or the support team. */
function isOutgoing(message: Pick<Message, 'author'>, viewpoint: Viewpoint): boolean {
  const team = message.author.role === 'agent' || message.author.role === 'bot';
  return viewpoint.isAgent ? team : message.author.id === viewpoint.viewerId;
}

/** System messages ("Dana joined", "Status changed to Resolved") read as events, not speech. */
export function SystemEvent({ message }: { message: Message }) {
  return (
    <div className="event" data-seq={message.seq}>
      <span className="event__line" aria-hidden="true" />
      <span className="event__text">
        {message.body}
        <time
          className="event__time"
          dateTime={message.createdAt}
          title={fullDateTime(message.createdAt)}
        >
          {clockTime(message.createdAt)}
        </time>
      </span>
      <span className="event__line" aria-hidden="true" />
    </div>
  );
}

export function MessageItem(props: {
  message: Message;
  continued: boolean;
  seen: boolean;
  viewpoint: Viewpoint;
}) {
  const { message, continued, seen, viewpoint } = props;
  if (message.author.role === 'system') return <SystemEvent message={message} />;
  const outgoing = isOutgoing(message, viewpoint);
  const classes = [
    'msg',
    outgoing ? 'msg--out' : 'msg--in',
    message.internal ? 'msg--note' : '',
    continued ? 'msg--continued' : '',
  ].join(' ');
  return (
    <article
      className={classes}
      data-seq={message.seq}
      data-testid={message.internal ? 'internal-note' : 'message'}
      aria-label={`${message.internal ? 'Internal note' : 'Message'} from ${message.author.name}`}
    >
      <div className="msg__avatar">
        {continued ? null : (
          <Avatar id={message.author.id ?? message.author.name} name={message.author.name} />
        )}
      </div>
      <div className="msg__main">
        {continued ? null : (
          <header className="msg__meta">
            <span className="msg__author">{message.author.name}</span>
            {message.author.role === 'bot' ? <span className="tag">Bot</span> : null}
            {message.internal ? (
              <span className="tag tag--note">Internal note · agents only</span>
            ) : null}
            <time
              dateTime={message.createdAt}
              title={fullDateTime(message.createdAt)}
              className="msg__time"
            >
              {clockTime(message.createdAt)}
            </time>
          </header>
        )}
        <div className="msg__bubble">
          {message.body ? <p className="msg__body">{message.body}</p> : null}
          <AttachmentList files={message.attachments} />
        </div>
        {seen ? (
          <p className="msg__status" data-testid="seen">
            Seen
          </p>
        ) : null}
        {viewpoint.isAgent && message.delivery ? <DeliveryLine delivery={message.delivery} /> : null}
      </div>
    </article>
  );
}

const channelNames = { whatsapp: 'WhatsApp', sms: 'SMS' } as const;
const deliveryWords = {
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
} as const;

/** "WhatsApp · Delivered": how far a message to the contact got, as the provider said. */
function DeliveryLine({ delivery }: { delivery: NonNullable<Message['delivery']> }) {
  const failed = delivery.status === 'failed';
  return (
    <p
      className={`msg__status${failed ? ' msg__status--failed' : ''}`}
      data-testid="delivery"
      data-status={delivery.status}
    >
      {channelNames[delivery.channel]} · {deliveryWords[delivery.status]}
      {failed && delivery.error ? `: ${delivery.error}` : ''}
    </p>
  );
}

/** A message not yet confirmed: "Sending…", or a clear failure with a retry button. */
export function PendingItem(props: {
  pending: PendingMessage;
  viewpoint: Viewpoint;
  onRetry: (clientId: string) => void;
}) {
  const { pending, viewpoint } = props;
  const failed = pending.state === 'failed';
  const classes = [
    'msg',
    'msg--out',
    pending.internal ? 'msg--note' : '',
    failed ? 'msg--failed' : 'msg--sending',
  ].join(' ');
  return (
    <article
      className={classes}
      data-testid="pending-message"
      aria-label={failed ? 'Message not sent' : 'Sending message'}
    >
      <div className="msg__avatar">
        <Avatar id={viewpoint.viewerId} name={viewpoint.viewerName} />
      </div>
      <div className="msg__main">
        <header className="msg__meta">
          <span className="msg__author">{viewpoint.viewerName}</span>
          {pending.internal ? (
            <span className="tag tag--note">Internal note · agents only</span>
          ) : null}
        </header>
        <div className="msg__bubble">
          {pending.body ? <p className="msg__body">{pending.body}</p> : null}
          {pending.files?.map((file) => (
            <p key={file.id} className="msg__file">
              {file.name} · {sizeInWords(file.size)}
            </p>
          ))}
        </div>
        {failed ? (
          <p className="msg__status msg__status--failed" role="alert">
            {notSentText(pending.error)}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => props.onRetry(pending.clientId)}
            >
              Retry
            </button>
          </p>
        ) : (
          <p className="msg__status">Sending…</p>
        )}
      </div>
    </article>
  );
}
