/** Every shortcut of the agent workspace, as the `?` overlay lists them. */
export const shortcutGroups: { title: string; items: { keys: string[]; label: string }[] }[] = [
  {
    title: 'Anywhere',
    items: [
      { keys: ['?'], label: 'Show keyboard shortcuts' },
      { keys: ['g', 'd'], label: 'Go to the dashboard' },
      { keys: ['g', 'q'], label: 'Go to the queue' },
    ],
  },
  {
    title: 'Queue',
    items: [{ keys: ['/'], label: 'Search tickets' }],
  },
  {
    title: 'Ticket',
    items: [
      { keys: ['r'], label: 'Write a reply to the customer' },
      { keys: ['n'], label: 'Write an internal note' },
      { keys: ['a'], label: 'Assign to me' },
      { keys: ['w'], label: 'Set status: waiting on customer' },
      { keys: ['e'], label: 'Mark resolved' },
      { keys: ['o'], label: 'Reopen' },
      { keys: ['Esc'], label: 'Leave the message box' },
      { keys: ['Enter'], label: 'Send (Shift+Enter for a new line)' },
    ],
  },
];
