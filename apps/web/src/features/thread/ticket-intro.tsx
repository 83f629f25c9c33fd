import type { Ticket } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { fullDateTime } from '../../lib/time';
import { AttachmentList } from '../attachments/attachment-list';

/** The ticket's description, as the opening of the conversation. */
export function TicketIntro({ ticket }: { ticket: Ticket }) {
  return (
    <div className="intro">
      <div className="intro__head">
        <Avatar id={ticket.customer.id} name={ticket.customer.name} />
        <div>
          <p className="intro__title">
            <strong>{ticket.customer.name}</strong> opened this ticket
          </p>
          <time className="intro__time" dateTime={ticket.createdAt}>
            {fullDateTime(ticket.createdAt)}
          </time>
        </div>
      </div>
      <p className="intro__body">{ticket.description}</p>
      <AttachmentList files={ticket.attachments} />
      {ticket.orderRef ? (
        <p className="intro__ref">
          Order reference: <span className="mono">{ticket.orderRef}</span>
        </p>
      ) : null}
    </div>
  );
}
