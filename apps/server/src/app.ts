import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  startLiveChannels,
  type LiveChannels,
  noChannelSettings,
  type ChannelSettings,
  type EmailSettings,
  createSecretBox,
  sealStoredWebhookSecrets,
  createAuth,
  defaultRateLimits,
  emailInSettingsFromEnv,
  loadIpCountry,
  noIpCountry,
  type EmailIn,
  type EmailInSettings,
  type Notifications,
  type NotifySettings,
  type HubTuning,
  type RateLimits,
  type Services,
} from '@parley/api';
import { closeDb, createDb, endPoolWithin } from '@parley/db';
import { startHub, type RunningHub } from './hub/start-hub';
import { createRequestListener } from './http';
import { autoCloseSettings, startAutoCloseJob, type AutoCloseSettings } from './jobs/auto-close';
import { fileSettings, fileStorage, type FileOptions } from './files/settings';
import { startEmailInListener } from './jobs/email-in';
import { startHousekeepingJob } from './jobs/housekeeping';
import { startNotificationJobs } from './jobs/notifications';
import { startUploadSweepJob } from './jobs/upload-sweep';
import { createLogger, type Logger } from './log';
import type { SocketCapLimits } from './socket-caps';
import type { SocketGuardLimits } from './socket-guard';
import { attachWebSockets } from './ws';
import { runSteps } from './close-steps';

export type ServerOptions = {
  /** The application database (already migrated). */
  databaseUrl: string;
  /**
   * The key that seals stored secrets (env PARLEY_SECRET_KEY, or `.parley/secret-key`:
   * secret-key.ts). Every process on one database needs the same key.
   */
  secretKey: Buffer;
  /**
   * Where the hub's LISTEN connection goes (default `databaseUrl`): behind a pooler in
   * transaction mode, point it at Postgres itself or a session-mode pool.
   */
  listenDatabaseUrl?: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The built web app to serve at /, or null for API only. */
  webRoot?: string | null;
  /** Extra origins allowed to mutate and open sockets (the server's own is always allowed). */
  allowedOrigins?: string[];
  trustProxy?: boolean;
  limits?: Partial<RateLimits>;
  logger?: Logger;
  /**
   * How long closing waits for the database pool's connections to be given back (10 s).
   * A holder that never does is left to the process's exit, and named in the log.
   */
  poolCloseMs?: number;
  poolSize?: number;
  /** Realtime hub settings (tests shorten its timeouts). */
  realtime?: Partial<HubTuning>;
  /** Session lifetime; default 30 days (tests use seconds to reach expiry). */
  sessionDays?: number;
  /** How long a checked session is reused (default 5 s; see `AuthOptions.sessionCacheMs`). */
  sessionCacheMs?: number;
  /** Closing resolved tickets after N days (env PARLEY_AUTO_CLOSE_DAYS); false turns the job off. */
  autoClose?: AutoCloseSettings | false;
  /** Per-WebSocket limits (bytes buffered, calls per frame, calls in flight). */
  socketGuard?: Partial<SocketGuardLimits>;
  /** Sockets per IP, user and session; the anonymous grace period. */
  socketCaps?: Partial<SocketCapLimits>;
  /** An HTTP connection that neither reads nor writes for this long is destroyed. */
  httpStallMs?: number;
  /** Uploads: size limit, pending lifetime, storage directory (env PARLEY_MAX_UPLOAD_MB, …). */
  files?: FileOptions;
  /** "IP to country" CSV for widget chats (env PARLEY_GEOIP_CSV); none by default. */
  geoipCsv?: string | null;
  /**
   * Notifications from the event log (env PARLEY_NOTIFY_DELAY_SECONDS, …): on for
   * `pnpm start`, off unless asked for in tests (`true`, or settings that override the
   * environment's).
   */
  notify?: boolean | Partial<NotifySettings>;
  /**
   * WhatsApp, SMS and email (env PARLEY_WHATSAPP_*, PARLEY_TWILIO_*, PARLEY_SMTP_URL, …:
   * `channelSettingsFromEnv`); none by default, and mail kept in Parley.
   */
  channels?: ChannelSettings;
  /** Tests: email settings over those of `channels` (`{ smtpUrl }` of a test inbox). */
  mail?: Partial<EmailSettings>;
  /**
   * Inbound mail (docs/email-in.md): `true` reads PARLEY_SMTP_IN_PORT and
   * PARLEY_SUPPORT_ADDRESS (off while the port is unset), as `pnpm start` does; tests give
   * the settings. Off by default. Its support address (unless admins saved another) is
   * also the Reply-To domain of customers' notification emails.
   */
  emailIn?: boolean | (Pick<EmailInSettings, 'supportAddress'> & Partial<EmailInSettings>);
};

/** Calls in one batched HTTP request, and in one WebSocket frame. */
export const maxBatchSize = 50;

export type RunningServer = AsyncDisposable & {
  port: number;
  /** `http://127.0.0.1:port` */
  url: string;
  services: Services;
  /** The process's realtime hub (stats, its LISTEN connection). */
  hub: RunningHub;
  /** The SMTP listener's port, or null when email in is off. */
  smtpInPort: number | null;
  close(): Promise<void>;
};

/** Starts one Parley server process's worth of HTTP + WebSocket on one port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  // Read before anything starts: a bad PARLEY_AUTO_CLOSE_* value fails the start-up cleanly.
  const autoCloseConfig = options.autoClose === false ? null : autoCloseSettings(options.autoClose);
  const files = fileSettings(options.files);
  const host = options.host ?? '127.0.0.1';
  const emailInConfig = emailInSettings(options.emailIn, host, files.maxBytes);
  const ipCountry = options.geoipCsv ? loadIpCountry(options.geoipCsv).lookup : noIpCountry;
  const db = createDb(options.databaseUrl, {
    max: options.poolSize ?? 20,
    applicationName: 'parley-server',
  });
  const secrets = createSecretBox(options.secretKey);
  let channels: LiveChannels;
  try {
    await sealStoredWebhookSecrets(db, secrets);
    channels = await startLiveChannels({
      db,
      base: channelBase(options, emailInConfig),
      secrets,
      secretKey: options.secretKey,
      onRefreshError: (error) =>
        logger.warn('could not read the saved channel settings', { error: String(error) }),
    });
  } catch (error) {
    await closeDb(db);
    throw error;
  }
  let notifications: Notifications | null = null;
  let emailIn: EmailIn | null = null;
  const auth = createAuth(db, {
    ...(options.sessionDays ? { sessionDays: options.sessionDays } : {}),
    ...(options.sessionCacheMs !== undefined ? { sessionCacheMs: options.sessionCacheMs } : {}),
  });
  const hub = await startHub({
    db,
    auth,
    databaseUrl: options.databaseUrl,
    listenDatabaseUrl: options.listenDatabaseUrl ?? options.databaseUrl,
    logger,
    onLogGrew: () => notifications?.wake(),
    ...(options.realtime ? { tuning: options.realtime } : {}),
  });
  const services: Services = {
    db,
    auth,
    hub,
    limits: { ...defaultRateLimits, ...options.limits },
    files: fileStorage(db, files),
    uploads: { maxBytes: files.maxBytes, pendingTtlSeconds: files.pendingTtlSeconds },
    ipCountry,
    secrets,
    channels,
  };

  const allowedOrigins = options.allowedOrigins ?? [];
  const trustProxy = options.trustProxy ?? false;
  const server = createServer(
    createRequestListener({
      services,
      logger,
      webRoot: options.webRoot ?? null,
      allowedOrigins,
      trustProxy,
      maxBodyBytes: 1024 * 1024,
      maxBatchSize,
    }),
  );
  // A client that stops reading leaves its answer in the socket's buffer: with no progress
  // for this long, the connection is destroyed and the buffer freed. A request received
  // whole, with nothing unsent, is the server's own work in progress (a large upload being
  // stored on a busy machine): not a stall. Writing its answer arms the guard again.
  server.timeout = options.httpStallMs ?? 30_000;
  const working = new WeakMap<Socket, IncomingMessage>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    working.set(req.socket, req);
    res.once('close', () => {
      if (working.get(req.socket) === req) working.delete(req.socket);
    });
  });
  server.on('timeout', (socket: Socket) => {
    if (working.get(socket)?.complete && socket.writableLength === 0) return;
    logger.debug('HTTP connection without progress closed', {
      stalledMs: server.timeout,
      unsentBytes: socket.writableLength,
    });
    socket.destroy();
  });
  const sockets = attachWebSockets(server, {
    services,
    logger,
    allowedOrigins,
    trustProxy,
    maxPayloadBytes: 256 * 1024,
    guard: { maxBatchSize, ...options.socketGuard },
    ...(options.socketCaps ? { caps: options.socketCaps } : {}),
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
  } catch (error) {
    channels.close();
    await hub.close();
    await closeDb(db);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const autoClose = autoCloseConfig ? startAutoCloseJob(db, autoCloseConfig, logger) : null;
  const housekeeping = startHousekeepingJob(db, logger);
  const uploadSweep = startUploadSweepJob(services, files.sweepIntervalSeconds, logger);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= runSteps(logger, [
      ['sockets', () => sockets.close()],
      [
        'HTTP server',
        () => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        },
      ],
      ['auto-close job', () => autoClose?.stop()],
      ['housekeeping job', () => housekeeping.stop()],
      ['upload sweep', () => uploadSweep.stop()],
      ['email listener', () => emailIn?.stop()],
      ['delivery engine', () => notifications?.stop()],
      ['channels', () => channels.close()],
      ['realtime hub', () => services.hub.close()],
      [
        'database pool',
        async () => {
          const left = await endPoolWithin(db, options.poolCloseMs ?? 10_000);
          if (left) {
            logger.warn(
              'database connections were still in use at shutdown and were left to the exit',
              left,
            );
          }
        },
      ],
    ]));

  if (options.notify) {
    try {
      notifications = await startNotificationJobs({
        db,
        databaseUrl: options.databaseUrl,
        port,
        overrides: options.notify === true ? {} : options.notify,
        secrets,
        channels: services.channels,
        files: services.files,
        logger,
      });
    } catch (error) {
      await close();
      throw error;
    }
  }

  if (emailInConfig) {
    try {
      emailIn = await startEmailInListener({ services, settings: emailInConfig, logger });
    } catch (error) {
      await close();
      throw error;
    }
  }

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    services,
    hub,
    smtpInPort: emailIn?.port ?? null,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The channels' settings before admins' saved ones: given, with the mail options over them. */
function channelBase(options: ServerOptions, emailIn: EmailInSettings | null): ChannelSettings {
  const base = options.channels ?? noChannelSettings('http://localhost');
  return {
    ...base,
    email: {
      ...base.email,
      ...options.mail,
      ...(emailIn ? { supportAddress: emailIn.supportAddress } : {}),
    },
    receivesMail: emailIn !== null,
  };
}

/** The SMTP listener's settings: from the environment (`true`), given (tests), or none. */
function emailInSettings(
  option: ServerOptions['emailIn'],
  host: string,
  maxBytes: number,
): EmailInSettings | null {
  if (!option) return null;
  if (option === true) return emailInSettingsFromEnv({ host, maxBytes });
  return {
    port: 0,
    host,
    maxBytes,
    maxClients: 20,
    ...option,
    supportAddress: option.supportAddress.toLowerCase(),
  };
}
