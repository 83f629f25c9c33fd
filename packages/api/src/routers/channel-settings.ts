import { deleteChannelSettings, saveChannelSettings } from '@parley/db';
import { z } from 'zod';
import { AppError } from '../errors';
import {
  emailForm,
  emailToStore,
  secretFields,
  SettingsFormError,
  smsForm,
  smsToStore,
  smtpServerOf,
  whatsappForm,
  whatsappToStore,
} from '../channels/saved-settings';
import { adminProcedure } from '../trpc';
import { okOutput } from './ok';

/** Where a channel's settings come from: saved by an admin, the environment, or none. */
export const settingsSource = z.enum(['saved', 'environment']).nullable();
export const messagingChannel = z.enum(['whatsapp', 'sms']);
/** The channels admins save provider settings for and test: the messaging ones, and email. */
export const settingsChannel = z.enum(['whatsapp', 'sms', 'email']);

const settingsOutput = z.object({
  whatsapp: z.object({
    source: settingsSource,
    problem: z.string().nullable(),
    phoneNumberId: z.string(),
    templates: z.array(z.object({ name: z.string(), language: z.string(), body: z.string() })),
    /** Which secrets are set; never their values. */
    secretsSet: z.array(z.enum(secretFields.whatsapp)),
  }),
  sms: z.object({
    source: settingsSource,
    problem: z.string().nullable(),
    accountSid: z.string(),
    from: z.string(),
    secretsSet: z.array(z.enum(secretFields.sms)),
  }),
  email: z.object({
    source: settingsSource,
    problem: z.string().nullable(),
    /** Whether mail goes through an SMTP server (else Parley keeps it: Outgoing mail). */
    sendMail: z.boolean(),
    /** The SMTP server in use without its password (`smtp://user@host:587`), or null. */
    smtpServer: z.string().nullable(),
    mailFrom: z.string(),
    /** The address customers write to, or '' (none). */
    supportAddress: z.string(),
    /** Whether this server runs its SMTP listener (PARLEY_SMTP_IN_PORT). */
    receivesMail: z.boolean(),
  }),
});

const setSecrets = <K extends string>(fields: readonly K[], values: Partial<Record<K, string>>) =>
  fields.filter((field) => Boolean(values[field]));

function formError(error: unknown): never {
  if (error instanceof SettingsFormError) {
    throw new AppError('BAD_REQUEST', error.message, {
      fieldErrors: Object.fromEntries(
        Object.entries(error.fields).map(([field, message]) => [field, [message]]),
      ),
    });
  }
  throw error;
}

/**
 * Admins: the WhatsApp, SMS and email settings, saved in Parley (secrets sealed under
 * the server's key; the SMTP URL is one, as it may hold a password) over the
 * environment's. Secrets are never answered: a save that leaves one empty keeps the one
 * in use.
 */
export const channelSettingsProcedures = {
  /** The settings in use, where they come from, and which secrets are set. */
  settings: adminProcedure.output(settingsOutput).query(({ ctx }) => {
    const { whatsapp, sms, email, receivesMail } = ctx.channels.settings;
    return {
      whatsapp: {
        source: ctx.channels.source('whatsapp'),
        problem: ctx.channels.problem('whatsapp'),
        phoneNumberId: whatsapp?.phoneNumberId ?? '',
        templates: (whatsapp?.templates ?? []).map(({ name, language, body }) => ({
          name,
          language,
          body,
        })),
        secretsSet: setSecrets(secretFields.whatsapp, whatsapp ?? {}),
      },
      sms: {
        source: ctx.channels.source('sms'),
        problem: ctx.channels.problem('sms'),
        accountSid: sms?.accountSid ?? '',
        from: sms?.from ?? '',
        secretsSet: setSecrets(secretFields.sms, sms ?? {}),
      },
      email: {
        source: ctx.channels.source('email'),
        problem: ctx.channels.problem('email'),
        sendMail: email.smtpUrl !== null,
        smtpServer: smtpServerOf(email.smtpUrl),
        mailFrom: email.mailFrom,
        supportAddress: email.supportAddress ?? '',
        receivesMail,
      },
    };
  }),

  /**
   * Saves a channel's settings; they apply at once on this server and within seconds on
   * the others. An empty secret keeps the one in use; none in use → `BAD_REQUEST`.
   */
  saveSettings: adminProcedure
    .input(
      z.discriminatedUnion('channel', [
        whatsappForm.extend({ channel: z.literal('whatsapp') }),
        smsForm.extend({ channel: z.literal('sms') }),
        emailForm.extend({ channel: z.literal('email') }),
      ]),
    )
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      const inUse = ctx.channels.settings;
      let settings: unknown;
      try {
        settings =
          input.channel === 'whatsapp'
            ? whatsappToStore(input, inUse.whatsapp, ctx.secrets)
            : input.channel === 'sms'
              ? smsToStore(input, inUse.sms, ctx.secrets)
              : emailToStore(input, inUse.email, ctx.secrets);
      } catch (error) {
        formError(error);
      }
      await saveChannelSettings(ctx.db, {
        channel: input.channel,
        settings,
        updatedBy: ctx.user.id,
      });
      await ctx.channels.refresh();
      return { ok: true as const };
    }),

  /**
   * Forgets a channel's saved settings: the environment's apply again (a messaging
   * channel without them is off; email without PARLEY_SMTP_URL is kept in Parley).
   */
  removeSettings: adminProcedure
    .input(z.strictObject({ channel: settingsChannel }))
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteChannelSettings(ctx.db, { channel: input.channel });
      await ctx.channels.refresh();
      return { ok: true as const };
    }),
};
