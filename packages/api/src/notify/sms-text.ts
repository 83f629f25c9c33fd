import type { NotificationKind } from '@parley/contract';
import { intros } from './templates';

/** The longest ticket subject a notification SMS quotes. */
const maxSubject = 40;

/**
 * A notification SMS: the email's subject line and its link, no message text (a text
 * message is short, and shows on a locked phone's screen), and how to stop them.
 *
 *   Parley [#42] New reply: Damaged box
 *   Read and reply: https://support.example.com/tickets/…
 *   Reply STOP to stop these texts.
 */
export function renderSms(input: {
  kind: NotificationKind;
  ticket: { number: number; subject: string };
  ticketUrl: string;
}): string {
  const intro = intros[input.kind];
  // Three dots, not "…": one character outside GSM-7 makes every part of a text shorter.
  const subject =
    input.ticket.subject.length > maxSubject
      ? `${input.ticket.subject.slice(0, maxSubject - 3).trimEnd()}...`
      : input.ticket.subject;
  return [
    `Parley [#${input.ticket.number}] ${intro.subject}: ${subject}`,
    `${intro.action}: ${input.ticketUrl}`,
    'Reply STOP to stop these texts.',
  ].join('\n');
}
