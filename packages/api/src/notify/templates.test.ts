import { describe, expect, it } from 'vitest';
import { renderMail } from './templates';
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token';

const input = {
  kind: 'agent_replied' as const,
  recipient: { name: 'Cara <b>', email: 'cara@example.com', role: 'customer' as const },
  ticket: { id: 't-1', number: 1042, subject: 'Box & <script>alert(1)</script>' },
  thread: [
    {
      author: 'Dana',
      body: 'Newest <img src=x onerror=alert(1)>',
      createdAt: new Date('2026-12-01T10:05:00Z'),
    },
    { author: 'Cara', body: 'Oldest', createdAt: new Date('2026-12-01T10:00:00Z') },
  ],
  ticketUrl: 'https://desk.example.com/tickets/t-1',
  unsubscribeUrl: 'https://desk.example.com/unsubscribe?token=abc',
  messageIdDomain: 'desk.example.com',
  key: 'email:7:agent_replied:u-1',
};

describe('renderMail', () => {
  it('escapes everything people wrote in the HTML and quotes the thread newest first', () => {
    const mail = renderMail(input);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html.indexOf('Newest')).toBeLessThan(mail.html.indexOf('Oldest'));
    expect(mail.text).toContain('> Newest <img src=x onerror=alert(1)>');
    expect(mail.subject).toBe('[#1042] New reply: Box & <script>alert(1)</script>');
  });

  it('threads every email of a ticket under the ticket’s own Message-ID, and offers one-click unsubscribe', () => {
    const reply = renderMail(input).headers;
    const created = renderMail({ ...input, kind: 'ticket_created' }).headers;
    expect(created['Message-ID']).toBe('<ticket-t-1@desk.example.com>');
    expect(created['In-Reply-To']).toBeUndefined();
    expect(reply['In-Reply-To']).toBe('<ticket-t-1@desk.example.com>');
    expect(reply.References).toBe('<ticket-t-1@desk.example.com>');
    expect(reply['Message-ID']).toBe('<email.7.agent_replied.u-1@desk.example.com>');
    expect(reply['List-Unsubscribe']).toBe('<https://desk.example.com/unsubscribe?token=abc>');
    expect(reply['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });
});

describe('the "closed automatically" email', () => {
  it('names the ticket in the subject, says how to reopen or start anew, quotes the thread and offers unsubscribe', () => {
    const mail = renderMail({
      ...input,
      kind: 'ticket_auto_closed',
      key: 'email:9:ticket_auto_closed:u-1',
    });
    expect(mail.subject).toBe('[#1042] Closed automatically: Box & <script>alert(1)</script>');
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('closed automatically');
      expect(body).toContain('Reopen ticket');
      expect(body).toContain('start a new request');
      expect(body).toContain('https://desk.example.com/unsubscribe?token=abc');
    }
    expect(mail.text).toContain('> Oldest');
    expect(mail.html).toContain('<blockquote');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.headers['In-Reply-To']).toBe('<ticket-t-1@desk.example.com>');
    expect(mail.headers['X-Parley-Idempotency-Key']).toBe('email:9:ticket_auto_closed:u-1');
  });
});

describe('unsubscribe tokens', () => {
  const target = { userId: 'u-1', kind: 'agent_replied' as const, channel: 'email' as const };

  it('read back what they were made for, and nothing from another key or a changed body', () => {
    const token = unsubscribeToken('secret', target);
    expect(readUnsubscribeToken('secret', token)).toEqual(target);
    expect(readUnsubscribeToken('other', token)).toBeNull();
    const [, signature] = token.split('.');
    const forged = `${Buffer.from('u-2|agent_replied|email').toString('base64url')}.${signature}`;
    expect(readUnsubscribeToken('secret', forged)).toBeNull();
    expect(readUnsubscribeToken('secret', 'garbage')).toBeNull();
  });
});
