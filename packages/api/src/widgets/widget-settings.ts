import { randomBytes } from 'node:crypto';
import { widgetPositions, type WidgetRow } from '@parley/db';
import { z } from 'zod';
import { text } from '../validation';

/**
 * A site's chat widget as admins manage it. The secret that signs `data-user-token`
 * is shown once (on create, and on `rotateSecret`), never listed again.
 */

/** An exact web origin (`https://shop.example`, `http://localhost:8080`), normalised. */
export const webOrigin = z
  .string()
  .trim()
  .max(300)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Enter an origin like https://shop.example' });
      return z.NEVER;
    }
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) {
      ctx.addIssue({
        code: 'custom',
        message: 'Only the scheme, host and port: https://shop.example',
      });
      return z.NEVER;
    }
    return url.origin;
  });

export const hexColor = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #2563eb')
  .transform((value) => value.toLowerCase());

const settingsFields = {
  name: text(1, 100),
  allowedOrigins: z
    .array(webOrigin)
    .min(1, 'Add the origin of at least one site')
    .max(20, 'At most 20 origins')
    .transform((origins) => [...new Set(origins)]),
  title: text(1, 60),
  color: hexColor,
  greeting: text(0, 500),
  position: z.enum(widgetPositions),
  requirePhone: z.boolean(),
  enabled: z.boolean(),
  /** The bot answers first (when it has articles or answers to answer with). */
  botEnabled: z.boolean(),
};

export const createWidgetInput = z.strictObject({
  name: settingsFields.name,
  allowedOrigins: settingsFields.allowedOrigins,
  title: settingsFields.title.optional(),
  color: settingsFields.color.optional(),
  greeting: settingsFields.greeting.optional(),
  position: settingsFields.position.optional(),
  requirePhone: settingsFields.requirePhone.optional(),
  enabled: settingsFields.enabled.optional(),
  botEnabled: settingsFields.botEnabled.optional(),
});

export const updateWidgetInput = z.strictObject({
  widgetId: z.uuid('Must be a UUID'),
  name: settingsFields.name.optional(),
  allowedOrigins: settingsFields.allowedOrigins.optional(),
  title: settingsFields.title.optional(),
  color: settingsFields.color.optional(),
  greeting: settingsFields.greeting.optional(),
  position: settingsFields.position.optional(),
  requirePhone: settingsFields.requirePhone.optional(),
  enabled: settingsFields.enabled.optional(),
  botEnabled: settingsFields.botEnabled.optional(),
  /** A new identity-verification secret (returned once, in `secret`). */
  rotateSecret: z.boolean().optional(),
});

export const widgetDefaults = {
  title: 'Chat with us',
  color: '#2563eb',
  greeting: 'Hi! Ask us anything — we usually reply in a few minutes.',
  position: 'right',
  requirePhone: false,
  enabled: true,
  botEnabled: true,
} as const;

export const widgetOutput = z.object({
  id: z.string(),
  name: z.string(),
  siteKey: z.string(),
  allowedOrigins: z.array(z.string()),
  title: z.string(),
  color: z.string(),
  greeting: z.string(),
  position: z.enum(widgetPositions),
  requirePhone: z.boolean(),
  enabled: z.boolean(),
  botEnabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** On create and on a rotation only: the secret the host signs user tokens with. */
export const widgetWithSecretOutput = widgetOutput.extend({ secret: z.string().nullable() });

export type Widget = z.infer<typeof widgetOutput>;

export function toWidget(row: WidgetRow): Widget {
  return {
    id: row.id,
    name: row.name,
    siteKey: row.siteKey,
    allowedOrigins: row.allowedOrigins,
    title: row.title,
    color: row.color,
    greeting: row.greeting,
    position: row.position,
    requirePhone: row.requirePhone,
    enabled: row.enabled,
    botEnabled: row.botEnabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const newSiteKey = () => `site_${randomBytes(12).toString('base64url')}`;
export const newWidgetSecret = () => randomBytes(32).toString('base64url');

/** What the widget's loader and chat frame may know of a site (public). */
export const widgetConfigOutput = z.object({
  siteKey: z.string(),
  title: z.string(),
  color: z.string(),
  greeting: z.string(),
  position: z.enum(widgetPositions),
  requirePhone: z.boolean(),
  /** An agent is connected right now (on the server that answered). */
  agentsOnline: z.boolean(),
});
