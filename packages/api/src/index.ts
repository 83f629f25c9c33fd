/**
 * What other packages use of the API: the router and its types (the web app and
 * typed clients), and what the server wires together. Nothing else is public; the
 * tests' helpers are in `@parley/api/testing`.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { appRouter, type AppRouter } from './root';
export { createAuth, type Auth, type Session, type SessionUser } from './auth/auth';
export { hashPassword } from './auth/passwords';
export { AppError } from './errors';
export { createUser } from './domain/users';
export { password as newPassword, passwordRule } from './validation';
export { createInnerContext, type Services, type SocketHandle } from './context';
export { deviceTokenFromCookies } from './auth/known-devices';
export { defaultRateLimits, type RateLimits } from './rate-limit';
export { createHub, type LocalHub } from './realtime/create-hub';
export { notePrefix } from './realtime/direct-frames';
export type { HubTuning } from './realtime/tuning';
export type { EphemeralEvent, StreamEvent } from './realtime/events';
export type { Viewer } from '@parley/db';
export type { User } from './domain/users';
export type { TicketSummary } from './domain/tickets';
export type { TicketEventData } from './domain/events';
export { closeStaleResolvedTickets } from './domain/auto-close';
export type { FileStorage, ByteRange } from './files/storage';
export { pgFileStorage } from './files/pg-storage';
export { directoryFileStorage } from './files/directory-storage';
export { defaultUploadSettings, type UploadSettings } from './files/settings';
export { tooLargeMessage, type Attachment, type UploadedFile } from './domain/attachments';
export { inlineImageTypes } from './files/sniff';
export { loadIpCountry, noIpCountry, type IpCountry } from './widgets/ip-country';
export { fileViewer } from './files/file-viewer';
export { deleteForgottenFiles, sweepExpiredUploads } from './files/sweep';
export { defaultAutoCloseDays } from './domain/lifecycle';
export {
  notifySettingsFromEnv,
  startNotifications,
  unsubscribe,
  type Notifications,
  type NotifySettings,
} from './notify';
export {
  emailInSettingsFromEnv,
  startEmailIn,
  type EmailIn,
  type EmailInSettings,
  type ReceivedMail,
} from './email-in';

export { createSecretBox, newSecretKeyText, parseSecretKey, type SecretBox } from './secrets';
export { sealStoredWebhookSecrets } from './webhooks/seal-secrets';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export {
  channelsFor,
  startLiveChannels,
  providerPaths,
  channelSettingsFromEnv,
  noChannelSettings,
  takeInbound,
  type ChannelAdapter,
  type ChannelSettings,
  type Channels,
  type EmailSettings,
  type LiveChannels,
  type MessagingChannel,
  type ProviderRequest,
} from './channels';
