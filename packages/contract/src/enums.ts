/**
 * The enums every part of Parley shares: the database builds its enum types from these
 * lists (their order is the order Postgres sorts by, so append, never reorder), the API
 * validates with them and the front-ends list and label them.
 */

/** Fewest rights first. */
export const roles = ['customer', 'agent', 'admin'] as const;
export type Role = (typeof roles)[number];
/** The roles that work tickets (the team). */
export const staffRoles = ['agent', 'admin'] as const satisfies readonly Role[];

export const statuses = ['open', 'in_progress', 'waiting_customer', 'resolved', 'closed'] as const;
export type Status = (typeof statuses)[number];

/** Lowest first: `order by priority desc` puts urgent tickets on top. */
export const priorities = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const categories = [
  'general',
  'order',
  'payment',
  'technical',
  'account',
  'complaint',
  'suggestion',
  'other',
] as const;
export type Category = (typeof categories)[number];

/** Who wrote a message: `system` is Parley itself (status changes, auto-close). */
export const authorRoles = ['customer', 'agent', 'system', 'bot'] as const;
export type AuthorRole = (typeof authorRoles)[number];

/** Where a ticket came from. */
export const channels = ['portal', 'widget', 'api', 'whatsapp', 'sms', 'email'] as const;
export type Channel = (typeof channels)[number];

/**
 * Who answers a widget chat: `none` (straight to the team), `active` (the bot answers
 * first; agents' default list leaves it out) or `handed_off` (the bot stepped aside).
 */
export const botStates = ['none', 'active', 'handed_off'] as const;
export type BotState = (typeof botStates)[number];

/** Which corner of the host page the chat widget's button sits in. */
export const widgetPositions = ['right', 'left'] as const;
export type WidgetPosition = (typeof widgetPositions)[number];

/** A resolved or closed ticket: the work on it is done (until someone reopens it). */
export const isFinished = (status: Status) => status === 'resolved' || status === 'closed';
