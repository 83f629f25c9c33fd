import { z } from 'zod';
import { AppError } from '../errors';
import { createMailTransport } from '../notify/mail-transport';
import { toE164 } from '../widgets/phone';
import { templateVariableCount, type ChannelSettings } from './settings';
import type { Channels } from './channels';

/** A checked test send: when called, sends and answers the provider's ids (or throws). */
export type TestSend = () => Promise<string[]>;

/**
 * An admin's test message on a channel (`channels.sendTest`), checked before anything is
 * sent: a number with its country code and a set-up channel (WhatsApp: an optional
 * template by name), or an email address. A bad input is `BAD_REQUEST` naming the field.
 */
export function testSend(
  channels: Channels,
  input: { channel: 'whatsapp' | 'sms' | 'email'; to: string; template?: string | undefined },
): TestSend {
  if (input.channel === 'email') {
    const to = z.email().safeParse(input.to.trim());
    if (!to.success) {
      const message = 'Enter an email address such as you@example.com';
      throw new AppError('BAD_REQUEST', message, { fieldErrors: { to: [message] } });
    }
    return () => sendTestMail(channels.settings.email, to.data);
  }
  const adapter = channels.adapter(input.channel);
  if (!adapter) {
    throw new AppError(
      'BAD_REQUEST',
      `${input.channel === 'sms' ? 'SMS' : 'WhatsApp'} is not set up on this server`,
    );
  }
  const phone = toE164(input.to);
  if ('error' in phone) {
    throw new AppError('BAD_REQUEST', phone.error, { fieldErrors: { to: [phone.error] } });
  }
  const template = input.template
    ? channels.settings.whatsapp?.templates.find((t) => t.name === input.template)
    : undefined;
  if (input.template && !template) {
    throw new AppError('BAD_REQUEST', 'No such template', {
      fieldErrors: { template: ['No such template'] },
    });
  }
  return async () => {
    const sent = await adapter.send({
      to: phone.e164,
      text: 'This is a test message from Parley.',
      quickReplies: [],
      media: [],
      template: template
        ? {
            name: template.name,
            language: template.language,
            variables: Array.from({ length: templateVariableCount(template.body) }, () => 'test'),
          }
        : null,
    });
    return sent.providerMessageIds;
  };
}

/** A test email through the SMTP server in use; without one, nothing is sent and it says why. */
async function sendTestMail(email: ChannelSettings['email'], to: string): Promise<string[]> {
  if (!email.smtpUrl) {
    throw new Error(
      'no SMTP server is set, so Parley keeps mail instead of sending it (Outgoing mail). Choose to send mail through an SMTP server first.',
    );
  }
  const transport = createMailTransport(email.smtpUrl);
  try {
    const sent = (await transport.sendMail({
      from: email.mailFrom,
      to,
      subject: 'Test message from Parley',
      text: 'This is a test message from Parley: its email settings work.',
      headers: { 'Auto-Submitted': 'auto-generated' },
    })) as { messageId?: string };
    return sent.messageId ? [sent.messageId] : [];
  } finally {
    transport.close();
  }
}
