import { z } from 'zod';
import { supportAddressFromEnv } from '../email-in/settings';

/** A WhatsApp message template approved at Meta, as admins describe it to Parley. */
export type WhatsAppTemplate = {
  /** The template's name at Meta. */
  name: string;
  /** Its language code at Meta (`en_US`). */
  language: string;
  /** Its body with `{{1}}`, `{{2}}`… where the variables go (what the agent sees). */
  body: string;
};

export type WhatsAppSettings = {
  /** The Graph API's base (`https://graph.facebook.com`; tests point it at a local server). */
  apiUrl: string;
  phoneNumberId: string;
  accessToken: string;
  /** Signs Meta's webhook requests (`X-Hub-Signature-256`). */
  appSecret: string;
  /** What Meta's subscription handshake must present. */
  verifyToken: string;
  templates: WhatsAppTemplate[];
};

export type TwilioSettings = {
  /** `https://api.twilio.com` (tests point it at a local server). */
  apiUrl: string;
  accountSid: string;
  authToken: string;
  /** The sending number (E.164) or a Messaging Service SID (`MG…`). */
  from: string;
};

/** How Parley sends mail and where customers write to (env PARLEY_SMTP_URL, …; README). */
export type EmailSettings = {
  /** `smtp://user:pass@host:587`; null keeps every email in Parley (status `kept`). */
  smtpUrl: string | null;
  /** The From header: `Parley <support@example.com>`. */
  mailFrom: string;
  /**
   * The address customers write to (lower case), or null. While Parley's SMTP listener
   * is on, mail to it opens tickets and customers' emails carry `Reply-To: reply+…@` its
   * domain.
   */
  supportAddress: string | null;
};

/** Channels (env PARLEY_WHATSAPP_*, PARLEY_TWILIO_*, PARLEY_SMTP_URL, …; README). */
export type ChannelSettings = {
  whatsapp: WhatsAppSettings | null;
  sms: TwilioSettings | null;
  email: EmailSettings;
  /** Whether this server runs its SMTP listener (PARLEY_SMTP_IN_PORT; docs/email-in.md). */
  receivesMail: boolean;
  /**
   * The address providers reach Parley at: Twilio signs the URL it called, status
   * callbacks and file links point here, and the bot's article links start with it.
   */
  publicUrl: string;
  /**
   * The providers' API bases (env PARLEY_WHATSAPP_API_URL, PARLEY_TWILIO_API_URL; tests
   * point them at local servers), also for settings admins save.
   */
  apiUrls: { whatsapp: string; sms: string };
  /** Whether the bot answers a new conversation first (when it has answers or articles). */
  botEnabled: boolean;
  /** Sent to the contact when their ticket is closed (seed 001); '' sends nothing. */
  closingMessage: string;
  /**
   * A contact writing within this many days of their ticket's close reopens it; later (or
   * with 0) their message starts a new ticket.
   */
  reopenDays: number;
};

export const defaultApiUrls = {
  whatsapp: 'https://graph.facebook.com',
  sms: 'https://api.twilio.com',
};

export const defaultMailFrom = 'Parley <parley@localhost>';

export const defaultClosingMessage =
  'This conversation is now closed. Thank you for contacting us! Write again any time to start a new one.';

export const templatesSchema = z.array(
  z.strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/, 'a template name is lower-case letters, digits and _'),
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?$/, 'a language code such as en_US'),
    body: z
      .string()
      .min(1, 'a template needs its body, as approved at Meta')
      .max(1024, 'a template body is at most 1,024 characters'),
  }),
);

/** The variables a template body names (`{{1}}` … `{{n}}`): their count. */
export function templateVariableCount(body: string): number {
  let count = 0;
  for (const match of body.matchAll(/\{\{(\d+)\}\}/g)) count = Math.max(count, Number(match[1]));
  return count;
}

/** A template's body with its variables filled in. */
export function renderTemplate(body: string, variables: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => variables[Number(n) - 1] ?? whole);
}

function required(env: NodeJS.ProcessEnv, names: string[], what: string): string[] | null {
  const values = names.map((name) => env[name]?.trim() ?? '');
  const set = values.filter(Boolean).length;
  if (set === 0) return null;
  if (set < names.length) {
    const missing = names.filter((_, i) => !values[i]);
    throw new Error(`${what} needs ${missing.join(', ')} as well (or none of its settings)`);
  }
  return values;
}

/** Settings from the environment; a channel whose settings are all unset is off. */
export function channelSettingsFromEnv(
  fallbackPublicUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): ChannelSettings {
  const wa = required(
    env,
    [
      'PARLEY_WHATSAPP_PHONE_NUMBER_ID',
      'PARLEY_WHATSAPP_ACCESS_TOKEN',
      'PARLEY_WHATSAPP_APP_SECRET',
      'PARLEY_WHATSAPP_VERIFY_TOKEN',
    ],
    'WhatsApp',
  );
  let templates: WhatsAppTemplate[] = [];
  if (env.PARLEY_WHATSAPP_TEMPLATES?.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.PARLEY_WHATSAPP_TEMPLATES);
    } catch {
      throw new Error('PARLEY_WHATSAPP_TEMPLATES must be JSON: [{"name","language","body"}, …]');
    }
    const checked = templatesSchema.safeParse(parsed);
    if (!checked.success) {
      throw new Error(
        `PARLEY_WHATSAPP_TEMPLATES: ${checked.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    templates = checked.data;
  }
  const sms = required(
    env,
    ['PARLEY_TWILIO_ACCOUNT_SID', 'PARLEY_TWILIO_AUTH_TOKEN', 'PARLEY_TWILIO_FROM'],
    'SMS (Twilio)',
  );
  const reopen = env.PARLEY_CHANNEL_REOPEN_DAYS;
  const reopenDays = reopen === undefined || reopen === '' ? 0 : Number(reopen);
  if (!Number.isFinite(reopenDays) || reopenDays < 0) {
    throw new Error(`PARLEY_CHANNEL_REOPEN_DAYS must be a number of days ≥ 0, not "${reopen}"`);
  }
  const apiUrls = {
    whatsapp: (env.PARLEY_WHATSAPP_API_URL || defaultApiUrls.whatsapp).replace(/\/+$/, ''),
    sms: (env.PARLEY_TWILIO_API_URL || defaultApiUrls.sms).replace(/\/+$/, ''),
  };
  return {
    reopenDays,
    apiUrls,
    email: {
      smtpUrl: env.PARLEY_SMTP_URL || null,
      mailFrom: env.PARLEY_MAIL_FROM || defaultMailFrom,
      supportAddress: supportAddressFromEnv(env),
    },
    // The server sets it when its listener starts (apps/server/src/app.ts).
    receivesMail: false,
    whatsapp: wa
      ? {
          apiUrl: apiUrls.whatsapp,
          phoneNumberId: wa[0]!,
          accessToken: wa[1]!,
          appSecret: wa[2]!,
          verifyToken: wa[3]!,
          templates,
        }
      : null,
    sms: sms
      ? {
          apiUrl: apiUrls.sms,
          accountSid: sms[0]!,
          authToken: sms[1]!,
          from: sms[2]!,
        }
      : null,
    publicUrl: (env.PARLEY_PUBLIC_URL || fallbackPublicUrl).replace(/\/+$/, ''),
    botEnabled: env.PARLEY_CHANNEL_BOT !== '0',
    closingMessage: env.PARLEY_CHANNEL_CLOSING_MESSAGE ?? defaultClosingMessage,
  };
}
