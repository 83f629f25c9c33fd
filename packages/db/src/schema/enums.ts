import {
  authorRoles,
  botStates,
  categories,
  channels as ticketChannels,
  priorities,
  roles,
  statuses,
  widgetPositions,
} from '@parley/contract';
import { pgEnum } from 'drizzle-orm/pg-core';

// The shared enums live in @parley/contract (the front-ends use them too); they are
// re-exported here so queries and callers name them with the schema.
export {
  authorRoles,
  botStates,
  categories,
  priorities,
  roles,
  statuses,
  widgetPositions,
  type AuthorRole,
  type BotState,
  type Category,
  type Channel,
  type WidgetPosition,
  type Priority,
  type Role,
  type Status,
} from '@parley/contract';

/** Postgres enum types, built from the contract's lists (in their order). */
export const roleEnum = pgEnum('role', roles);
export const statusEnum = pgEnum('ticket_status', statuses);
export const priorityEnum = pgEnum('ticket_priority', priorities);
export const categoryEnum = pgEnum('ticket_category', categories);
export const authorRoleEnum = pgEnum('author_role', authorRoles);
/** Where a ticket came from (the contract's `channels`; renamed here, `channels` are NOTIFY's). */
export { ticketChannels };
export const channelEnum = pgEnum('ticket_channel', ticketChannels);
export const widgetPositionEnum = pgEnum('widget_position', widgetPositions);
export const botStateEnum = pgEnum('ticket_bot_state', botStates);

/** Who may see an event: everyone on its ticket, or agents only (internal notes). */
export const eventAudiences = ['all', 'agents'] as const;
export type EventAudience = (typeof eventAudiences)[number];
export const eventAudienceEnum = pgEnum('event_audience', eventAudiences);
