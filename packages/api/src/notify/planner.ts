import {
  notificationKinds,
  systemAuthorName,
  systemText,
  type NotificationKind,
} from '@parley/contract';
import type { EventRow } from '@parley/db';
import type { LoggedEvent } from '../realtime/events';

/**
 * One notification an event calls for, before preferences: to one user, or to every
 * agent who opted in to the kind (`to: 'opted-in-staff'`).
 */
export type Notice = {
  kind: NotificationKind;
  to: { userId: string } | 'opted-in-staff';
  eventId: number;
  ticketId: string;
  /** The message a reply notice is about (re-checked as unread before sending). */
  messageSeq: number | null;
  /** Not before this time (an agent's reply waits for the customer to read it live). */
  runAt: Date | null;
};

/**
 * Who should hear about a logged event (the defaults of issue 16). Pure: preferences,
 * disabled accounts and the "read it live" check are applied later. An event meant for
 * agents only (an internal note and its effects) never makes a customer notice.
 */
export function planNotices(
  logged: LoggedEvent,
  row: Pick<EventRow, 'stateAssigneeId'>,
  replyDelaySeconds: number,
): Notice[] {
  const { event } = logged;
  const eventId = logged.cursor;
  const ticketId = event.ticketId;
  const notice = (
    kind: NotificationKind,
    to: Notice['to'],
    extra: Partial<Pick<Notice, 'messageSeq' | 'runAt'>> = {},
  ): Notice => ({ kind, to, eventId, ticketId, messageSeq: null, runAt: null, ...extra });
  const notices: Notice[] = [];
  const forCustomer = logged.audience === 'all';

  switch (event.type) {
    case 'ticket.created': {
      if (forCustomer) notices.push(notice('ticket_created', { userId: logged.customerId }));
      const assignee = event.data.assignee;
      if (assignee) notices.push(notice('ticket_assigned', { userId: assignee.id }));
      else notices.push(notice('new_unassigned_ticket', 'opted-in-staff'));
      break;
    }
    case 'message.created': {
      const message = event.data;
      if (message.internal) break;
      if (forCustomer && isAutoCloseLine(message)) {
        notices.push(notice('ticket_auto_closed', { userId: logged.customerId }));
      }
      if (message.author.role === 'agent' && forCustomer) {
        const at = new Date(event.at).getTime() + replyDelaySeconds * 1000;
        notices.push(
          notice(
            'agent_replied',
            { userId: logged.customerId },
            { messageSeq: message.seq, runAt: new Date(at) },
          ),
        );
      }
      const assigneeId = row.stateAssigneeId;
      if (message.author.role === 'customer' && assigneeId && assigneeId !== message.author.id) {
        notices.push(
          notice('customer_replied', { userId: assigneeId }, { messageSeq: message.seq }),
        );
      }
      break;
    }
    case 'ticket.updated': {
      const { assignee, status } = event.data;
      if (assignee) notices.push(notice('ticket_assigned', { userId: assignee.id }));
      if (status === 'resolved' && forCustomer) {
        notices.push(notice('ticket_resolved', { userId: logged.customerId }));
      }
      break;
    }
    case 'message.read':
    case 'ticket.rated':
      break;
  }
  return notices;
}

/**
 * The system line of a close made by Parley itself (the auto-close job): a ticket's
 * `ticket.updated` event names nobody, but the line logged with it does. A close by a
 * person (customer or agent) has that person as the line's author, so it never matches.
 */
function isAutoCloseLine(message: {
  author: { id: string | null; role: string };
  body: string;
}): boolean {
  return (
    message.author.role === 'system' &&
    message.author.id === null &&
    message.body === systemText.status('closed', systemAuthorName)
  );
}

/** Who a kind is for: a customer kind never goes to staff, nor the other way round. */
export function kindFitsRole(
  kind: NotificationKind,
  role: 'customer' | 'agent' | 'admin',
): boolean {
  return (notificationKinds[kind].audience === 'customer') === (role === 'customer');
}

/** The idempotency key of one delivery: (event, recipient, channel), and the kind. */
export function deliveryKey(params: {
  eventId: number;
  kind: NotificationKind;
  userId: string;
  channel: string;
}): string {
  return `${params.channel}:${params.eventId}:${params.kind}:${params.userId}`;
}
