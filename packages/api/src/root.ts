import { attachmentsRouter } from './routers/attachments';
import { authRouter } from './routers/auth';
import { botRouter } from './routers/bot';
import { channelsRouter } from './routers/channels';
import { helpRouter } from './routers/help';
import { messagesRouter } from './routers/messages';
import { notificationsRouter } from './routers/notifications';
import { realtimeRouter } from './routers/realtime';
import { ticketsRouter } from './routers/tickets';
import { usersRouter } from './routers/users';
import { webhooksRouter } from './routers/webhooks';
import { widgetRouter } from './routers/widget';
import { widgetsRouter } from './routers/widgets';
import { router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  tickets: ticketsRouter,
  messages: messagesRouter,
  realtime: realtimeRouter,
  attachments: attachmentsRouter,
  help: helpRouter,
  bot: botRouter,
  widget: widgetRouter,
  widgets: widgetsRouter,
  notifications: notificationsRouter,
  webhooks: webhooksRouter,
  channels: channelsRouter,
});

/** The whole typed surface; other apps `import type { AppRouter } from '@parley/api'`. */
export type AppRouter = typeof appRouter;
