import { z } from 'zod';
import { AppError } from '../errors';
import { sendMessage } from '../domain/message-service';
import { messageOutput } from '../domain/messages';
import { renderTemplate, templateVariableCount, type ChannelSettings } from '../channels/settings';
import { insideWhatsAppWindow } from '../channels/window';
import { providerPaths } from '../channels/paths';
import { consumeRateLimit } from '../rate-limit';
import { testSend } from '../channels/test-send';
import {
  channelSettingsProcedures,
  messagingChannel,
  settingsChannel,
  settingsSource,
} from './channel-settings';
import { conversationSettingsProcedures } from './conversation-settings';
import { adminProcedure, ticketAgent, router, signedInProcedure } from '../trpc';
import { text, uuid } from '../validation';

const templateOutput = z.object({
  name: z.string(),
  language: z.string(),
  /** With `{{1}}`… where the variables go. */
  body: z.string(),
  variables: z.int().min(0),
});

/** The WhatsApp templates admins configured, with the number of values each takes. */
const templatesOf = (settings: ChannelSettings) =>
  (settings.whatsapp?.templates ?? []).map((template) => ({
    ...template,
    variables: templateVariableCount(template.body),
  }));

/**
 * Agents on a WhatsApp or SMS ticket: what the composer may send, and WhatsApp templates;
 * admins: which channels are set up, and a test message.
 */
export const channelsRouter = router({
  ...channelSettingsProcedures,
  ...conversationSettingsProcedures,

  /**
   * Admins: each messaging channel, whether it is set up, the address to give the provider
   * for its webhook, the sender, and the templates. Never a secret.
   */
  status: adminProcedure
    .output(
      z.array(
        z.object({
          channel: messagingChannel,
          configured: z.boolean(),
          /** Saved by an admin, from the environment, or none. */
          source: settingsSource,
          /** Why saved settings cannot be used (the channel is then off). */
          problem: z.string().nullable(),
          webhookUrl: z.string(),
          sender: z.string().nullable(),
          templates: z.array(templateOutput),
        }),
      ),
    )
    .query(({ ctx }) => {
      const { settings } = ctx.channels;
      return (['whatsapp', 'sms'] as const).map((channel) => ({
        channel,
        configured: ctx.channels.adapter(channel) !== null,
        source: ctx.channels.source(channel),
        problem: ctx.channels.problem(channel),
        webhookUrl: `${settings.publicUrl}${providerPaths[channel]}`,
        sender:
          channel === 'whatsapp'
            ? (settings.whatsapp?.phoneNumberId ?? null)
            : (settings.sms?.from ?? null),
        templates: channel === 'whatsapp' ? templatesOf(settings) : [],
      }));
    }),

  /**
   * Admins: sends a test message to a number through the channel's provider (WhatsApp
   * accepts a free-form message only within 24 hours of that number writing; otherwise
   * name a template), or a test email to an address through the SMTP server in use.
   * Answers the provider's id, or its error in words.
   */
  sendTest: adminProcedure
    .input(
      z.strictObject({
        channel: settingsChannel,
        to: text(1, 254),
        template: text(1, 512).optional(),
      }),
    )
    .output(
      z.object({
        ok: z.boolean(),
        providerMessageIds: z.array(z.string()),
        error: z.string().nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const send = testSend(ctx.channels, input);
      await consumeRateLimit(
        ctx.db,
        `channel-test:user:${ctx.user.id}`,
        ctx.limits.ticketActionsPerUser,
      );
      try {
        return { ok: true, providerMessageIds: await send(), error: null };
      } catch (error) {
        return {
          ok: false,
          providerMessageIds: [],
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }),

  /**
   * The composer's facts for a ticket: its channel, whether that channel is set up,
   * whether a free-form reply may go out now (WhatsApp's 24-hour window), and the
   * templates admins configured.
   */
  composer: signedInProcedure
    .input(z.strictObject({ ticketId: uuid }))
    .concat(ticketAgent)
    .output(
      z.object({
        channel: z.string(),
        configured: z.boolean(),
        freeFormAllowed: z.boolean(),
        templates: z.array(templateOutput),
      }),
    )
    .query(async ({ ctx }) => {
      const { channel } = ctx.ticket;
      const whatsapp = channel === 'whatsapp';
      return {
        channel,
        configured: ctx.channels.adapter(channel) !== null,
        freeFormAllowed: whatsapp ? await insideWhatsAppWindow(ctx.db, ctx.ticket) : true,
        templates: whatsapp ? templatesOf(ctx.channels.settings) : [],
      };
    }),

  /**
   * Sends an approved WhatsApp template as the agent's reply (the only kind of message
   * WhatsApp accepts more than 24 hours after the contact last wrote). Idempotent on
   * (author, clientId), like `messages.send`.
   */
  sendTemplate: signedInProcedure
    .input(
      z.strictObject({
        ticketId: uuid,
        name: text(1, 512),
        variables: z.array(text(1, 1024)).max(20),
        clientId: uuid,
      }),
    )
    .concat(ticketAgent)
    .output(messageOutput)
    .mutation(async ({ ctx, input }) => {
      if (ctx.ticket.channel !== 'whatsapp') {
        throw new AppError('BAD_REQUEST', 'Templates are for WhatsApp conversations only');
      }
      const template = ctx.channels.settings.whatsapp?.templates.find((t) => t.name === input.name);
      if (!template) {
        throw new AppError('BAD_REQUEST', 'No such template', {
          fieldErrors: { name: ['No such template'] },
        });
      }
      const wanted = templateVariableCount(template.body);
      if (input.variables.length !== wanted) {
        throw new AppError('BAD_REQUEST', `This template takes ${wanted} value(s)`, {
          fieldErrors: { variables: [`Fill in all ${wanted}`] },
        });
      }
      return sendMessage(ctx, ctx.user, {
        ticketId: ctx.ticket.id,
        body: renderTemplate(template.body, input.variables),
        clientId: input.clientId,
        template: { name: template.name, language: template.language, variables: input.variables },
      });
    }),
});
