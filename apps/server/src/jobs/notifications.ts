import {
  notifySettingsFromEnv,
  startNotifications,
  type Notifications,
  type NotifySettings,
  type SecretBox,
  type Channels,
  type FileStorage,
} from '@parley/api';
import { isDatabaseUnavailable, type Db } from '@parley/db';
import { errorFields, type Logger } from '../log';

/**
 * Starts the email notification engine (packages/api/src/notify): settings from the
 * environment, overridden by `overrides` (tests).
 */
export function startNotificationJobs(params: {
  db: Db;
  databaseUrl: string;
  port: number;
  overrides: Partial<NotifySettings>;
  secrets: SecretBox;
  channels: Channels;
  files: FileStorage;
  logger: Logger;
}): Promise<Notifications> {
  const { logger } = params;
  // The database going away (a restart, Ctrl-C reaching Postgres first) is retried by
  // the pump's next poll and by graphile-worker's reconnect: nothing to warn about.
  const quiet = (message: string, error: unknown) =>
    isDatabaseUnavailable(error) || /notify listener|UNLISTEN|not queryable/i.test(message);
  return startNotifications({
    db: params.db,
    databaseUrl: params.databaseUrl,
    settings: { ...notifySettingsFromEnv(`http://localhost:${params.port}`), ...params.overrides },
    secrets: params.secrets,
    channels: params.channels,
    files: params.files,
    onError: (message, error) => {
      if (quiet(message, error)) logger.debug(message, errorFields(error));
      else logger.warn(message, errorFields(error));
    },
    log: (level, message, error) =>
      (level === 'error' || level === 'warning') && !quiet(message, error)
        ? logger.warn('job queue', { message })
        : logger.debug('job queue', { message }),
  });
}
