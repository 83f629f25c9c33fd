import type { NotificationKind } from '@parley/contract';

/** What an email is rendered from. */
export type MailInput = {
  kind: NotificationKind;
  recipient: { name: string; email: string; role: 'customer' | 'agent' | 'admin' };
  ticket: { id: string; number: number; subject: string };
  /** The latest public messages, newest first. */
  thread: Array<{ author: string; body: string; createdAt: Date }>;
  /** The ticket's page for this recipient. */
  ticketUrl: string;
  unsubscribeUrl: string;
  /** The domain of Message-IDs (`parley.example.com`). */
  messageIdDomain: string;
  /** The idempotency key: one Message-ID per delivery. */
  key: string;
};

export type RenderedMail = {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
};

export const intros: Record<NotificationKind, { subject: string; lead: string; action: string }> = {
  ticket_created: {
    subject: 'We received your request',
    lead: 'Thanks for getting in touch. Your request is in our queue and we will reply here.',
    action: 'View your ticket',
  },
  agent_replied: {
    subject: 'New reply',
    lead: 'Our team replied to your request.',
    action: 'Read and reply',
  },
  ticket_resolved: {
    subject: 'Resolved',
    lead: 'Your request was marked as resolved. How did we do? Rating it takes a second.',
    action: 'Rate our answer',
  },
  ticket_auto_closed: {
    subject: 'Closed automatically',
    lead:
      'Your request was closed automatically because we had not heard from you since it was resolved. ' +
      'Still need help? Open the ticket and choose Reopen ticket to continue this conversation, ' +
      'or start a new request any time.',
    action: 'Reopen or view your ticket',
  },
  ticket_assigned: {
    subject: 'Assigned to you',
    lead: 'A ticket was assigned to you.',
    action: 'Open the ticket',
  },
  customer_replied: {
    subject: 'Customer replied',
    lead: 'The customer replied on a ticket assigned to you.',
    action: 'Open the ticket',
  },
  new_unassigned_ticket: {
    subject: 'New ticket',
    lead: 'A new ticket arrived and nobody is assigned to it yet.',
    action: 'Open the ticket',
  },
};

/** Messages quoted in an email, newest first. */
export const quotedMessages = 5;

/**
 * An email as HTML and plain text with its thread headers: every email of a ticket
 * refers to the ticket's own Message-ID, so mail clients show them as one thread.
 */
export function renderMail(input: MailInput): RenderedMail {
  const intro = intros[input.kind];
  const number = `#${input.ticket.number}`;
  const subject = `[${number}] ${intro.subject}: ${input.ticket.subject}`;
  const thread = input.thread.slice(0, quotedMessages);
  const when = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

  const text = [
    `Hello ${input.recipient.name},`,
    '',
    intro.lead,
    '',
    `${intro.action}: ${input.ticketUrl}`,
    '',
    ...thread.flatMap((m) => [
      `${m.author} wrote on ${when(m.createdAt)}:`,
      ...m.body.split('\n').map((line) => `> ${line}`),
      '',
    ]),
    '--',
    `Ticket ${number}: ${input.ticket.subject}`,
    `Stop these emails: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');

  const quoted = thread
    .map(
      (m) => `<blockquote style="margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #c7c7d1">
<p style="margin:0 0 4px;color:#4a4a57"><strong>${escape(m.author)}</strong> · <time datetime="${m.createdAt.toISOString()}">${when(m.createdAt)}</time></p>
<p style="margin:0;white-space:pre-wrap">${escape(m.body)}</p>
</blockquote>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(subject)}</title></head>
<body style="margin:0;padding:24px;font:16px/1.5 system-ui,sans-serif;color:#1d1d24;background:#ffffff">
<main style="max-width:560px">
<p>Hello ${escape(input.recipient.name)},</p>
<p>${escape(intro.lead)}</p>
<p><a href="${escape(input.ticketUrl)}" style="color:#3730a3">${escape(intro.action)}</a></p>
${quoted ? `<h2 style="font-size:16px;margin:24px 0 8px">Latest messages</h2>\n${quoted}` : ''}
<hr style="border:0;border-top:1px solid #d8d8e0;margin:24px 0">
<p style="font-size:14px;color:#4a4a57">Ticket ${escape(number)}: ${escape(input.ticket.subject)}<br>
<a href="${escape(input.unsubscribeUrl)}" style="color:#4a4a57">Stop these emails</a></p>
</main>
</body>
</html>
`;

  const ticketRoot = `<ticket-${input.ticket.id}@${input.messageIdDomain}>`;
  // The confirmation of a new ticket is the thread's first message; the rest answer it.
  const isRoot = input.kind === 'ticket_created';
  const headers: Record<string, string> = {
    'Message-ID': isRoot
      ? ticketRoot
      : `<${input.key.replaceAll(':', '.')}@${input.messageIdDomain}>`,
    'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'X-Parley-Idempotency-Key': input.key,
    'X-Parley-Ticket': String(input.ticket.number),
  };
  if (!isRoot) {
    headers['In-Reply-To'] = ticketRoot;
    headers.References = ticketRoot;
  }
  return { subject, html, text, headers };
}

export function escape(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
