import { z } from 'zod';
import type { SecretBox } from '../secrets';
import { addressPattern } from '../email-in/settings';
import { fromAddress } from '../notify/mail-transport';
import { toE164 } from '../widgets/phone';
import type { MessagingChannel } from './adapter';
import { templatesSchema, type ChannelSettings } from './settings';

/**
 * Provider settings admins save under Settings → WhatsApp and SMS. Saved settings replace
 * the environment's for their channel; the API base (`PARLEY_WHATSAPP_API_URL`,
 * `PARLEY_TWILIO_API_URL`) stays the environment's. Secrets are stored sealed and never
 * answered back: a form that leaves a secret empty keeps the one in use. The conversation
 * settings (bot, closing message, reopen window) are saved once for both channels.
 */

/** What admins save settings for: each messaging channel, conversations on both, and email. */
export type SettingsKind = MessagingChannel | 'conversations' | 'email';

/** The secret fields of each channel, which the browser is told only are set. */
export const secretFields = {
  whatsapp: ['accessToken', 'appSecret', 'verifyToken'],
  sms: ['authToken'],
} as const;

type WhatsAppSecret = (typeof secretFields.whatsapp)[number];
type SmsSecret = (typeof secretFields.sms)[number];

/** A secret in a form: empty or absent keeps the one in use. */
const secretInput = z.string().trim().max(1024).optional();

export const whatsappForm = z.strictObject({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,32}$/, 'The phone number ID is the number Meta shows for it (digits only)'),
  accessToken: secretInput,
  appSecret: secretInput,
  verifyToken: secretInput,
  templates: templatesSchema.max(100),
});

export const smsForm = z.strictObject({
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'An Account SID is AC followed by 32 hexadecimal characters'),
  authToken: secretInput,
  from: z.string().trim().min(1, 'Enter the sending number or Messaging Service SID').max(40),
});

/** Longest closing message admins may save (a few SMS segments). */
export const closingMessageMaxLength = 1000;
/** Longest reopen window admins may save, in days. */
export const reopenDaysMax = 365;

const reopenDaysRule = `The reopen window is a whole number of days from 0 to ${reopenDaysMax}`;

/**
 * How conversations on WhatsApp and SMS go (env PARLEY_CHANNEL_BOT,
 * PARLEY_CHANNEL_CLOSING_MESSAGE, PARLEY_CHANNEL_REOPEN_DAYS): whether the bot answers a
 * new conversation first, what closing a ticket sends ('' nothing), and within how many
 * days of its close a contact writing again reopens their ticket (0: never).
 */
export const conversationsForm = z.strictObject({
  botEnabled: z.boolean('Say whether the bot answers new conversations first (true or false)'),
  closingMessage: z
    .string('The closing message is text (empty: none is sent)')
    .max(closingMessageMaxLength * 4) // cheap guard before the trim and the scans below
    .trim()
    .max(
      closingMessageMaxLength,
      `The closing message is at most ${closingMessageMaxLength.toLocaleString('en')} characters`,
    )
    .refine((s) => !s.includes('\u0000'), 'The closing message must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'The closing message must not contain invalid Unicode'),
  reopenDays: z.int(reopenDaysRule).min(0, reopenDaysRule).max(reopenDaysMax, reopenDaysRule),
});

const addressRule = 'an email address such as support@example.com';
/** A sender: any domain (`parley@localhost` on a machine of one's own). */
const senderAddress = /^[^\s@<>]+@[^\s@<>]+$/;

/**
 * Email (env PARLEY_SMTP_URL, PARLEY_MAIL_FROM, PARLEY_SUPPORT_ADDRESS): whether mail is
 * sent through an SMTP server (else Parley keeps it, listed under Outgoing mail), the
 * server's URL (a secret: it may hold a password; empty keeps the one in use), the From
 * header, and the address customers write to ('' none).
 */
export const emailForm = z.strictObject({
  sendMail: z.boolean('Say whether mail is sent through an SMTP server (true or false)'),
  smtpUrl: secretInput,
  mailFrom: z
    .string()
    .trim()
    .max(320)
    .refine(
      (value) => senderAddress.test(fromAddress(value)),
      `The sender is ${addressRule}, or a name and one: Support <support@example.com>`,
    ),
  supportAddress: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .refine(
      (value) => value === '' || addressPattern.test(value),
      `The support address is ${addressRule}`,
    ),
});

/** What an SMTP URL may be: `smtp://` or `smtps://`, a host, maybe a user and port. */
function checkSmtpUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The SMTP server is a URL such as smtp://user:password@smtp.example.com:587';
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    return 'The SMTP server URL starts with smtp:// (STARTTLS) or smtps:// (TLS on connect)';
  }
  if (!url.hostname) return 'The SMTP server URL needs the server’s host name';
  return null;
}

/** The SMTP server of a URL without its password, to show an admin: `smtp.example.com:587`. */
export function smtpServerOf(smtpUrl: string | null): string | null {
  if (!smtpUrl) return null;
  try {
    const url = new URL(smtpUrl);
    return `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}`;
  } catch {
    return null;
  }
}

export type WhatsAppForm = z.infer<typeof whatsappForm>;
export type EmailForm = z.infer<typeof emailForm>;
export type SmsForm = z.infer<typeof smsForm>;
export type ConversationsForm = z.infer<typeof conversationsForm>;

const sealed = z.string().startsWith('sealed:');

/** What a row of `channel_settings` holds, per channel. */
const storedShapes = {
  whatsapp: z.object({
    phoneNumberId: z.string(),
    accessToken: sealed,
    appSecret: sealed,
    verifyToken: sealed,
    templates: templatesSchema,
  }),
  sms: z.object({ accountSid: z.string(), authToken: sealed, from: z.string() }),
  email: z.object({
    smtpUrl: sealed.nullable(),
    mailFrom: z.string(),
    supportAddress: z.string().nullable(),
  }),
  conversations: z.object({
    botEnabled: z.boolean(),
    closingMessage: z.string(),
    reopenDays: z.number().min(0),
  }),
};

export type SettingsSource = 'saved' | 'environment' | null;

/** A form that cannot be saved: each field at fault and what to do. */
export class SettingsFormError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields)[0] ?? 'The settings cannot be saved');
    this.name = 'SettingsFormError';
  }
}

const secretLabels: Record<WhatsAppSecret | SmsSecret, string> = {
  accessToken: 'access token',
  appSecret: 'app secret',
  verifyToken: 'verify token',
  authToken: 'Auth Token',
};

/**
 * Each secret sealed: the one typed in, else the one in use. Any with neither is refused,
 * all of them at once.
 */
function sealSecrets<K extends WhatsAppSecret | SmsSecret>(
  fields: readonly K[],
  form: Partial<Record<K, string>>,
  inUse: Partial<Record<K, string>> | null,
  secrets: SecretBox,
): Record<K, string> {
  const missing = fields.filter((field) => !(form[field] || inUse?.[field]));
  if (missing.length > 0) {
    throw new SettingsFormError(
      Object.fromEntries(missing.map((field) => [field, `Enter the ${secretLabels[field]}`])),
    );
  }
  return Object.fromEntries(
    fields.map((field) => [field, secrets.seal((form[field] || inUse?.[field])!)]),
  ) as Record<K, string>;
}

/** The row to store for a WhatsApp form; empty secrets keep those in use (saved or environment). */
export function whatsappToStore(
  form: WhatsAppForm,
  inUse: ChannelSettings['whatsapp'],
  secrets: SecretBox,
): z.infer<typeof storedShapes.whatsapp> {
  return {
    phoneNumberId: form.phoneNumberId,
    ...sealSecrets(secretFields.whatsapp, form, inUse, secrets),
    templates: form.templates,
  };
}

/** The row to store for an SMS form; an empty Auth Token keeps the one in use. */
export function smsToStore(
  form: SmsForm,
  inUse: ChannelSettings['sms'],
  secrets: SecretBox,
): z.infer<typeof storedShapes.sms> {
  let from = form.from;
  if (!/^MG[0-9a-fA-F]{32}$/.test(from)) {
    const phone = toE164(from);
    if ('error' in phone) {
      throw new SettingsFormError({
        from: 'The sender is a phone number with its country code (+1 415 555 0100) or a Messaging Service SID (MG…)',
      });
    }
    from = phone.e164;
  }
  return {
    accountSid: form.accountSid,
    ...sealSecrets(secretFields.sms, form, inUse, secrets),
    from,
  };
}

/**
 * The row to store for the email form: the SMTP URL sealed (the one typed in, else the
 * one in use), or null when mail is kept in Parley.
 */
export function emailToStore(
  form: EmailForm,
  inUse: ChannelSettings['email'],
  secrets: SecretBox,
): z.infer<typeof storedShapes.email> {
  let smtpUrl: string | null = null;
  if (form.sendMail) {
    smtpUrl = form.smtpUrl || inUse.smtpUrl;
    if (!smtpUrl) {
      throw new SettingsFormError({
        smtpUrl: 'Enter the SMTP server’s URL (or choose to keep mail in Parley)',
      });
    }
    const problem = checkSmtpUrl(smtpUrl);
    if (problem) throw new SettingsFormError({ smtpUrl: problem });
  }
  return {
    smtpUrl: smtpUrl ? secrets.seal(smtpUrl) : null,
    mailFrom: form.mailFrom,
    supportAddress: form.supportAddress || null,
  };
}

/** The conversation settings to store: the form as checked (trimmed). */
export function conversationsToStore(
  form: ConversationsForm,
): z.infer<typeof storedShapes.conversations> {
  return {
    botEnabled: form.botEnabled,
    closingMessage: form.closingMessage,
    reopenDays: form.reopenDays,
  };
}

export type AppliedSettings = {
  settings: ChannelSettings;
  sources: Record<SettingsKind, SettingsSource>;
  /**
   * Why saved settings could not be used: a channel is then off; conversations keep the
   * environment's settings.
   */
  problems: Partial<Record<SettingsKind, string>>;
};

const unreadable = (error: unknown) =>
  error instanceof z.ZodError
    ? 'The saved settings are not readable'
    : error instanceof Error
      ? error.message
      : String(error);

/** The environment's settings with what admins saved put over them, channel by channel. */
export function applySavedSettings(
  base: ChannelSettings,
  rows: { channel: string; settings: unknown }[],
  secrets: SecretBox,
): AppliedSettings {
  const settings: ChannelSettings = { ...base };
  const sources: AppliedSettings['sources'] = {
    whatsapp: base.whatsapp ? 'environment' : null,
    sms: base.sms ? 'environment' : null,
    conversations: 'environment',
    email: 'environment',
  };
  const problems: AppliedSettings['problems'] = {};
  for (const row of rows) {
    if (row.channel === 'conversations') {
      sources.conversations = 'saved';
      const saved = storedShapes.conversations.safeParse(row.settings);
      if (saved.success) {
        settings.botEnabled = saved.data.botEnabled;
        settings.closingMessage = saved.data.closingMessage;
        settings.reopenDays = saved.data.reopenDays;
      } else problems.conversations = unreadable(saved.error);
      continue;
    }
    if (row.channel === 'email') {
      // Unreadable saved settings leave the environment's: mail is never silently dropped.
      sources.email = 'saved';
      try {
        const saved = storedShapes.email.parse(row.settings);
        settings.email = {
          smtpUrl: saved.smtpUrl === null ? null : secrets.open(saved.smtpUrl),
          mailFrom: saved.mailFrom,
          supportAddress: saved.supportAddress,
        };
      } catch (error) {
        problems.email = unreadable(error);
      }
      continue;
    }
    if (row.channel !== 'whatsapp' && row.channel !== 'sms') continue;
    const channel: MessagingChannel = row.channel;
    sources[channel] = 'saved';
    try {
      if (channel === 'whatsapp') {
        const saved = storedShapes.whatsapp.parse(row.settings);
        settings.whatsapp = {
          apiUrl: base.apiUrls.whatsapp,
          phoneNumberId: saved.phoneNumberId,
          accessToken: secrets.open(saved.accessToken),
          appSecret: secrets.open(saved.appSecret),
          verifyToken: secrets.open(saved.verifyToken),
          templates: saved.templates,
        };
      } else {
        const saved = storedShapes.sms.parse(row.settings);
        settings.sms = {
          apiUrl: base.apiUrls.sms,
          accountSid: saved.accountSid,
          authToken: secrets.open(saved.authToken),
          from: saved.from,
        };
      }
    } catch (error) {
      settings[channel] = null;
      problems[channel] = unreadable(error);
    }
  }
  return { settings, sources, problems };
}
