import type { Category, Priority, Status } from './enums';
import { categoryLabels, priorityLabels, statusLabels } from './labels';

/** The name shown as the author of messages Parley writes itself (`authorRole: 'system'`). */
export const systemAuthorName = 'Parley';

/** The name shown as the author of the bot's messages (`authorRole: 'bot'`). */
export const botAuthorName = 'Parley bot';

/**
 * The texts of the system messages a change adds to a ticket's thread, each naming who
 * made the change (`by`; `systemAuthorName` when nobody did, e.g. auto-close). Stored
 * as the message body, so a change here affects new messages only.
 */
export const systemText = {
  status: (to: Status, by: string) => `Status changed to ${statusLabels[to]} by ${by}`,
  priority: (to: Priority, by: string) => `Priority changed to ${priorityLabels[to]} by ${by}`,
  category: (to: Category, by: string) => `Category changed to ${categoryLabels[to]} by ${by}`,
  /** `by`: who assigned them, when not themselves. */
  joined: (name: string, by?: string) =>
    by ? `${name} joined the conversation (added by ${by})` : `${name} joined the conversation`,
  /** `by`: who unassigned them, when not themselves. */
  left: (name: string, by?: string) =>
    by ? `${name} left the conversation (removed by ${by})` : `${name} left the conversation`,
};
