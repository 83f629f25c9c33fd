import { describe, expect, it } from 'vitest';
import { parseMail } from './parse-mail';
import { storedBody } from './receive-mail';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('parseMail and storedBody', () => {
  it('takes the reply out of an HTML-only mail with a Gmail quote', async () => {
    const mail = await parseMail(
      crlf([
        'From: "Alex Doe" <Alex@Example.com>',
        'To: support@parley.test',
        'Subject: Re: [#1001] Parcel',
        'Message-ID: <abc@example.com>',
        'In-Reply-To: <email.1.agent_replied.u@parley.test>',
        'References: <ticket-t@parley.test>\r\n <email.1.agent_replied.u@parley.test>',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<div dir="ltr">Thanks, works now.<br><br></div><div class="gmail_quote"><div class="gmail_attr">On Tue, Dec 1, 2026 at 10:00 AM Parley &lt;parley@localhost&gt; wrote:<br></div><blockquote class="gmail_quote"><p>Your parcel ships.</p></blockquote></div>',
      ]),
    );
    expect(mail).toMatchObject({
      messageId: '<abc@example.com>',
      fromAddress: 'alex@example.com',
      fromName: 'Alex Doe',
      subject: 'Re: [#1001] Parcel',
      threadIds: ['<email.1.agent_replied.u@parley.test>', '<ticket-t@parley.test>'],
    });
    expect(storedBody(mail.text)).toBe('Thanks, works now.');
  });

  it('names a mail without a Message-ID by its hash, the same for the same bytes', async () => {
    const raw = crlf(['From: a@example.com', 'Subject: hi', '', 'hello']);
    const first = await parseMail(raw);
    expect(first.messageId).toMatch(/^<[0-9a-f]{64}@parley\.invalid>$/);
    expect((await parseMail(raw)).messageId).toBe(first.messageId);
  });

  it('says so when nothing is left of the text, and cuts a long one at the limit', () => {
    expect(storedBody('On Mon, Dana wrote:\n> only a quote')).toMatch(/original email is attached/);
    const long = storedBody('x'.repeat(20_000));
    expect(long.length).toBe(10_000);
    expect(long).toMatch(/rest is in the attached original email\.$/);
  });
});
