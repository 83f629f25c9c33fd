import type {
  AuthorRole,
  Category,
  Channel,
  Priority,
  Role,
  Status,
  WidgetPosition,
} from './enums';
import { priorities } from './enums';

/** How the enums read in English, in the web app, the widget and system messages. */

export const roleLabels: Record<Role, string> = {
  customer: 'Customer',
  agent: 'Agent',
  admin: 'Admin',
};

export const statusLabels: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  waiting_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** How the customer reads the same status: about them, not about the team. */
export const customerStatusLabels: Record<Status, string> = {
  ...statusLabels,
  waiting_customer: 'Awaiting your reply',
};

export const priorityLabels: Record<Priority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

/** Priorities as lists show them: the most urgent first. */
export const prioritiesMostUrgentFirst: readonly Priority[] = [...priorities].reverse();

export const categoryLabels: Record<Category, string> = {
  general: 'General',
  order: 'Order',
  payment: 'Payment',
  technical: 'Technical',
  account: 'Account',
  complaint: 'Complaint',
  suggestion: 'Suggestion',
  other: 'Other',
};

export const authorRoleLabels: Record<AuthorRole, string> = {
  customer: 'Customer',
  agent: 'Agent',
  system: 'Parley',
  bot: 'Bot',
};

export const channelLabels: Record<Channel, string> = {
  portal: 'Portal',
  widget: 'Chat widget',
  api: 'API',
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  email: 'Email',
};

export const widgetPositionLabels: Record<WidgetPosition, string> = {
  right: 'Bottom right',
  left: 'Bottom left',
};

/** `{ value, label }` pairs for a select or a group of chips, in the order given. */
export const labelOptions = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((value) => ({ value, label: labels[value] }));
