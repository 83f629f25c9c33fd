import { authRouter } from './routers/auth';
import { realtimeRouter } from './routers/realtime';
import { usersRouter } from './routers/users';
import { router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  realtime: realtimeRouter,
});

/** The whole typed surface; other apps `import type { AppRouter } from '@parley/api'`. */
export type AppRouter = typeof appRouter;
