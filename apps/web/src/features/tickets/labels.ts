import type { Category, Priority, Status } from '../../api/types';

/** The enums, in the order the UI lists them. */
export const statuses = [
  'open',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
] as const satisfies readonly Status[];
export const priorities = [
  'urgent',
  'high',
  'medium',
  'low',
] as const satisfies readonly Priority[];
export const categories = [
  'general',
  'order',
  'payment',
  'technical',
  'account',
  'complaint',
  'suggestion',
  'other',
] as const satisfies readonly Category[];

export const statusLabel: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  waiting_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** How the customer reads the same status: about them, not about the team. */
export const customerStatusLabel: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  waiting_customer: 'Awaiting your reply',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const priorityLabel: Record<Priority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

export const categoryLabel: Record<Category, string> = {
  general: 'General',
  order: 'Order',
  payment: 'Payment',
  technical: 'Technical',
  account: 'Account',
  complaint: 'Complaint',
  suggestion: 'Suggestion',
  other: 'Other',
};

export const isFinished = (status: Status) => status === 'resolved' || status === 'closed';

export const options = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((value) => ({ value, label: labels[value] }));
