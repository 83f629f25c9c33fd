import type { Category, Priority, Status } from './enums';
import { categoryLabels, priorityLabels, statusLabels } from './labels';

/** The name shown as the author of messages Parley writes itself (`authorRole: 'system'`). */
export const systemAuthorName = 'Parley';

/**
 * The texts of the system messages a change adds to a ticket's thread (all visible to
 * the customer). Stored as the message body, so a change here affects new messages only.
 */
export const systemText = {
  status: (to: Status) => `Status changed to ${statusLabels[to]}`,
  priority: (to: Priority) => `Priority changed to ${priorityLabels[to]}`,
  category: (to: Category) => `Category changed to ${categoryLabels[to]}`,
  joined: (name: string) => `${name} joined the conversation`,
  left: (name: string) => `${name} left the conversation`,
};
