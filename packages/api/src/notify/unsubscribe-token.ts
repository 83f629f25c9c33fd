import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  isNotificationKind,
  notificationChannels,
  type NotificationChannel,
  type NotificationKind,
} from '@parley/contract';

/** What one unsubscribe link switches off. */
export type UnsubscribeTarget = {
  userId: string;
  kind: NotificationKind;
  channel: NotificationChannel;
};

const sign = (secret: string, body: string) =>
  createHmac('sha256', secret).update(`unsubscribe:${body}`).digest('base64url');

/** `<body>.<HMAC>`: the link needs no session, so the signature is the credential. */
export function unsubscribeToken(secret: string, target: UnsubscribeTarget): string {
  const body = Buffer.from(`${target.userId}|${target.kind}|${target.channel}`).toString(
    'base64url',
  );
  return `${body}.${sign(secret, body)}`;
}

/** The target of a well-signed token, or null. */
export function readUnsubscribeToken(secret: string, token: string): UnsubscribeTarget | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [userId, kind, channel] = Buffer.from(body, 'base64url').toString().split('|');
  if (!userId || !kind || !isNotificationKind(kind)) return null;
  if (!notificationChannels.some((known) => known === channel)) return null;
  return { userId, kind, channel: channel as NotificationChannel };
}
