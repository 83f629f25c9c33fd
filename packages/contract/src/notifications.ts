/**
 * Notification kinds: what may make Parley send someone a message, who it is for, and
 * whether it is on for a user who never chose. Browser-safe (settings pages show them).
 */
export const notificationKinds = {
  ticket_created: {
    audience: 'customer',
    defaultOn: true,
    label: 'Your request was received',
  },
  agent_replied: {
    audience: 'customer',
    defaultOn: true,
    label: 'The team replied (when you have not read it yet)',
  },
  ticket_resolved: {
    audience: 'customer',
    defaultOn: true,
    label: 'Your ticket was resolved',
  },
  ticket_auto_closed: {
    audience: 'customer',
    defaultOn: true,
    label: 'Your resolved ticket was closed automatically (no reply came)',
  },
  ticket_assigned: {
    audience: 'staff',
    defaultOn: true,
    label: 'A ticket was assigned to you',
  },
  customer_replied: {
    audience: 'staff',
    defaultOn: true,
    label: 'A customer replied on your ticket',
  },
  new_unassigned_ticket: {
    audience: 'staff',
    defaultOn: false,
    label: 'A new ticket nobody is assigned to',
  },
} as const satisfies Record<
  string,
  { audience: 'customer' | 'staff'; defaultOn: boolean; label: string }
>;

export type NotificationKind = keyof typeof notificationKinds;
export const notificationKindList = Object.keys(notificationKinds) as NotificationKind[];

/** Where a notification goes. Browser alerts, SMS and WhatsApp come later. */
export const notificationChannels = ['email'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export const isNotificationKind = (kind: string): kind is NotificationKind =>
  Object.hasOwn(notificationKinds, kind);
