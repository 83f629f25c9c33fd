import type { EmailSettings } from '../channels/settings';
import { createMailTransport } from './mail-transport';

export type TestSendResult = { ok: boolean; providerMessageIds: string[]; error: string | null };

/**
 * An admin's test email through the SMTP server in use (Settings → Channels → Email):
 * the server's answer, or its error in words. Without an SMTP server nothing is sent,
 * and the answer says why.
 */
export async function sendTestMail(email: EmailSettings, to: string): Promise<TestSendResult> {
  if (!email.smtpUrl) {
    return {
      ok: false,
      providerMessageIds: [],
      error:
        'no SMTP server is set, so Parley keeps mail instead of sending it (Outgoing mail). Choose to send mail through an SMTP server first.',
    };
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
    return { ok: true, providerMessageIds: sent.messageId ? [sent.messageId] : [], error: null };
  } catch (error) {
    return {
      ok: false,
      providerMessageIds: [],
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    transport.close();
  }
}
