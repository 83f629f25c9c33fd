import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { mailHeaders, type MailHeaders } from './mail-headers';

/** What Parley uses of a received mail. */
export type ParsedMail = {
  /** The Message-ID, or `<sha256@parley.invalid>` of the whole mail when it has none. */
  messageId: string;
  headers: MailHeaders;
  /** The From address, lower-cased ('' when there is none), and its display name. */
  fromAddress: string;
  fromName: string;
  subject: string;
  /** The plain text (mailparser makes it from the HTML when there is only HTML). */
  text: string;
  /** In-Reply-To, then References: the Message-IDs the mail answers. */
  threadIds: string[];
  attachments: Array<{ name: string; content: Buffer }>;
};

/** Message-IDs answered, at most this many (a References header can grow long). */
const maxThreadIds = 50;

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, {
    skipTextToHtml: true,
    skipImageLinks: true,
    maxHtmlLengthToParse: 5 * 1024 * 1024,
  });
  const from = mail.from?.value[0];
  const references = Array.isArray(mail.references)
    ? mail.references.join(' ')
    : (mail.references ?? '');
  const threadIds = [
    ...new Set(`${mail.inReplyTo ?? ''} ${references}`.match(/<[^<>\s]+>/g) ?? []),
  ].slice(0, maxThreadIds);
  return {
    messageId:
      mail.messageId?.trim() ||
      `<${createHash('sha256').update(raw).digest('hex')}@parley.invalid>`,
    headers: mailHeaders(mail.headerLines),
    fromAddress: from?.address?.trim().toLowerCase() ?? '',
    fromName: from?.name?.trim() ?? '',
    subject: mail.subject?.trim() ?? '',
    text: mail.text ?? '',
    threadIds,
    attachments: mail.attachments.map((file, i) => ({
      name: file.filename ?? `attachment-${i + 1}`,
      content: file.content,
    })),
  };
}
