import {
  findOrInsertGuestContact,
  findTicketByClientId,
  getWidgetBySiteKey,
  moveTicketToGuestSession,
  type Db,
  type WidgetRow,
} from '@parley/db';
import { z } from 'zod';
import type { Context } from '../context';
import { botIsOn, botTurn, composeReply } from '../bot/engine';
import { createTicket } from '../domain/ticket-service';
import { AppError } from '../errors';
import { createGuestSession } from '../guests/guest-sessions';
import { consumeRateLimit } from '../rate-limit';
import { email, text, uuid } from '../validation';
import { verifyIdentityToken } from './identity-token';
import { toE164 } from './phone';
import { webOrigin } from './widget-settings';

export const siteKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a site key');

export const startChatInput = z.strictObject({
  siteKey,
  /** The host page's origin, as the loader saw it. */
  hostOrigin: text(1, 300),
  name: text(1, 100).optional(),
  email: email.optional(),
  phone: text(0, 40).optional(),
  message: text(1, 10_000),
  /** Makes the start idempotent: a retry with the same clientId answers the same ticket. */
  clientId: uuid,
  pageUrl: text(0, 2000).optional(),
  /** The host's `data-user-token`: signed identity, instead of name/email. */
  userToken: z.string().max(4096).optional(),
});

export type StartChatInput = z.infer<typeof startChatInput>;

/** An enabled widget by site key; unknown and disabled look the same. */
export async function enabledWidget(db: Db, key: string): Promise<WidgetRow> {
  const widget = await getWidgetBySiteKey(db, { siteKey: key });
  if (!widget || !widget.enabled) throw new AppError('NOT_FOUND', 'This chat is not available');
  return widget;
}

/**
 * Whether a request may act for this widget: the host page's origin (from the loader)
 * and the browser's own `Origin` header, when it came from another site, must both be
 * origins the widget allows. A chat frame served by Parley has Parley's origin (not cross-origin).
 */
export function assertAllowedOrigin(
  widget: WidgetRow,
  ctx: Pick<Context, 'crossOrigin'>,
  hostOrigin: string,
) {
  const host = webOrigin.safeParse(hostOrigin);
  if (!host.success || !widget.allowedOrigins.includes(host.data)) {
    throw new AppError('FORBIDDEN', 'This site may not start chats here');
  }
  if (ctx.crossOrigin !== null && !widget.allowedOrigins.includes(ctx.crossOrigin)) {
    throw new AppError('FORBIDDEN', 'This site may not start chats here');
  }
}

const fieldError = (field: string, message: string) =>
  new AppError('BAD_REQUEST', message, { fieldErrors: { [field]: [message] } });

/** The first line of the message, as the ticket's subject. */
export function subjectOf(message: string, name: string): string {
  const firstLine =
    message
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? '';
  const cut = firstLine.length > 80 ? `${firstLine.slice(0, 79).trimEnd()}…` : firstLine;
  return cut.length >= 3 ? cut : `Chat with ${name}`.slice(0, 200);
}

/** A page URL worth keeping: http(s) only, no credentials. */
function cleanPageUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return null;
  }
}

/**
 * `widget.start`: checks the site and origins, counts the start against the caller's
 * address and the site, finds or creates the visitor's contact by email, opens a guest
 * session and the ticket (channel `widget`) it alone may see.
 */
export async function startChat(ctx: Context, input: StartChatInput) {
  const widget = await enabledWidget(ctx.db, input.siteKey);
  assertAllowedOrigin(widget, ctx, input.hostOrigin);
  await consumeRateLimit(ctx.db, `widget-start:ip:${ctx.clientIp}`, ctx.limits.widgetStartsPerIp);
  await consumeRateLimit(ctx.db, `widget-start:site:${widget.id}`, ctx.limits.widgetStartsPerSite);

  let identity: { email: string; name: string; phone: string | undefined; verified: boolean };
  if (input.userToken !== undefined) {
    const claims = verifyIdentityToken(widget.secret, input.userToken);
    if (!claims) throw new AppError('UNAUTHORIZED', 'The site could not confirm who you are');
    identity = {
      email: claims.email,
      name: claims.name ?? input.name ?? claims.email.split('@')[0] ?? claims.email,
      phone: claims.phone ?? input.phone,
      verified: true,
    };
  } else {
    const missing: Record<string, string[]> = {};
    if (!input.name) missing.name = ['Required'];
    if (!input.email) missing.email = ['Required'];
    if (Object.keys(missing).length) {
      throw new AppError('BAD_REQUEST', 'Fill in the required fields', { fieldErrors: missing });
    }
    identity = { email: input.email!, name: input.name!, phone: input.phone, verified: false };
  }

  let phone: string | null = null;
  if (identity.phone?.trim()) {
    const checked = toE164(identity.phone);
    if ('error' in checked) throw fieldError('phone', checked.error);
    phone = checked.e164;
  } else if (widget.requirePhone) {
    throw fieldError('phone', 'Required');
  }

  const contact = await findOrInsertGuestContact(ctx.db, {
    email: identity.email,
    name: identity.name,
    phone,
  });
  if (contact.role !== 'customer' || contact.disabledAt) {
    throw fieldError('email', 'This address cannot be used for a chat; use another one');
  }
  // The same browser (its guest token) starting another chat on the same site, as the
  // same person, keeps its session: it then sees both chats.
  const session =
    ctx.guest && ctx.guest.widgetId === widget.id && ctx.guest.id === contact.id
      ? { token: ctx.guest.token, id: ctx.guest.guestSessionId }
      : await createGuestSession(ctx.db, {
          userId: contact.id,
          widgetId: widget.id,
          verified: identity.verified,
        });
  const viewer = {
    id: contact.id,
    name: contact.name,
    role: 'customer' as const,
    guestSessionId: session.id,
  };

  const existing = await findTicketByClientId(ctx.db, {
    customerId: contact.id,
    clientId: input.clientId,
  });
  if (existing) {
    // A retried start (the first answer was lost): the new session takes the chat over.
    if (existing.widgetId !== widget.id) throw new AppError('CONFLICT', 'Start a new chat');
    await moveTicketToGuestSession(ctx.db, { ticketId: existing.id, guestSessionId: session.id });
    return { guestToken: session.token, ticketId: existing.id, viewer };
  }
  // The bot answers the first message in the ticket's own transaction; without the bot
  // the chat goes straight to the team's queue.
  const agentsOnline = ctx.hub.staffConnected();
  const botReply = (await botIsOn(ctx.db, widget))
    ? await composeReply(ctx.db, input.message, agentsOnline)
    : null;
  const ticketId = await createTicket(ctx, viewer, {
    subject: subjectOf(input.message, contact.name),
    description: input.message,
    category: 'general',
    priority: 'medium',
    clientId: input.clientId,
    origin: {
      channel: 'widget',
      widgetId: widget.id,
      guestSessionId: session.id,
      pageUrl: cleanPageUrl(input.pageUrl),
      userAgent: ctx.userAgent,
      country: ctx.ipCountry(ctx.clientIp),
      botState: botReply ? 'active' : 'none',
    },
    ...(botReply ? { firstReply: (locked) => botTurn(locked, botReply, agentsOnline) } : {}),
  });
  return { guestToken: session.token, ticketId, viewer };
}
