/**
 * Notification kinds: what may make Parley send someone a message, who it is for,
 * whether its email is on for a user who never chose, and whether it may go by SMS (a
 * short text; always off until the user switches it on). Browser-safe (settings pages
 * show them).
 */
export const notificationKinds = {
  ticket_created: {
    sms: false,
    audience: 'customer',
    defaultOn: true,
    label: 'Your request was received',
  },
  agent_replied: {
    sms: true,
    audience: 'customer',
    defaultOn: true,
    label: 'The team replied (when you have not read it yet)',
  },
  ticket_resolved: {
    sms: true,
    audience: 'customer',
    defaultOn: true,
    label: 'Your ticket was resolved',
  },
  ticket_auto_closed: {
    sms: false,
    audience: 'customer',
    defaultOn: true,
    label: 'Your resolved ticket was closed automatically (no reply came)',
  },
  ticket_assigned: {
    sms: true,
    audience: 'staff',
    defaultOn: true,
    label: 'A ticket was assigned to you',
  },
  customer_replied: {
    sms: true,
    audience: 'staff',
    defaultOn: true,
    label: 'A customer replied on your ticket',
  },
  new_unassigned_ticket: {
    sms: true,
    audience: 'staff',
    defaultOn: false,
    label: 'A new ticket nobody is assigned to',
  },
} as const satisfies Record<
  string,
  { audience: 'customer' | 'staff'; defaultOn: boolean; sms: boolean; label: string }
>;

export type NotificationKind = keyof typeof notificationKinds;
export const notificationKindList = Object.keys(notificationKinds) as NotificationKind[];

/** Where a notification goes: email, and SMS to a verified mobile number (opt-in). */
export const notificationChannels = ['email', 'sms'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** Whether `kind` can go out on `channel` at all. */
export const kindHasChannel = (kind: NotificationKind, channel: NotificationChannel): boolean =>
  channel === 'email' || notificationKinds[kind].sms;

/** On for a user who never chose: a kind's email default; SMS is opt-in, always off. */
export const defaultOnFor = (kind: NotificationKind, channel: NotificationChannel): boolean =>
  channel === 'email' && notificationKinds[kind].defaultOn;

export const isNotificationKind = (kind: string): kind is NotificationKind =>
  Object.hasOwn(notificationKinds, kind);
