import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { appRouter, type AppRouter } from './root';
export { createCallerFactory } from './trpc';
export { createAuth, type Auth, type SessionUser, type Session } from './auth/auth';
export { hashPassword } from './auth/passwords';
export { AppError, type AppErrorCode } from './errors';
export { createUser, type NewUserInput } from './domain/users';
export { password as newPassword, passwordRule } from './validation';
export { hashToken } from './auth/hashed-adapter';
export { deviceTokenFromCookies } from './auth/known-devices';
export {
  createInnerContext,
  type Context,
  type ContextInput,
  type Services,
  type SocketHandle,
} from './context';
export { defaultRateLimits, type RateLimits } from './rate-limit';
export type { Hub, HubStats, StreamItem, TrackedSocket } from './realtime/hub';
export {
  createHub,
  defaultHubTuning,
  hubChannels,
  type HubTuning,
  type LocalHub,
} from './realtime/create-hub';
export { closeCodes } from './realtime/session-sockets';
export type {
  TicketEvent,
  TicketEventType,
  StreamEvent,
  ReadyEvent,
  ResyncEvent,
  TypingEvent,
  PresenceEvent,
  EphemeralEvent,
} from './realtime/events';
export type { User, ManagedUser } from './domain/users';
export type { Ticket, TicketSummary, TicketStats } from './domain/tickets';
export { closeStaleResolvedTickets, type AutoCloseOptions } from './domain/auto-close';
export { defaultAutoCloseDays } from './domain/lifecycle';
export type { Message, MessageAuthor } from './domain/messages';
export type { TypedTicketEvent, TicketEventData, TicketUpdatedData } from './domain/events';
export type { AuthorRole, Category, Priority, Role, Status, Viewer } from '@parley/db';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
