import { Logger, makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { closeDb, createDb, endPoolWithin, type Db } from '@parley/db';
import { accountEmailTask, createAccountEmailTask } from '../accounts/account-mail';
import { createDeliverWebhookTask } from '../webhooks/deliver-task';
import { deliverWebhookTask } from '../webhooks/delivery-jobs';
import { planWebhookDeliveries, webhooksCursor } from '../webhooks/plan-deliveries';
import { newJobInstance, unlockDeadWorkers } from './dead-workers';
import { JobWorkers } from './job-workers';
import { LogPump, notifyCursor, planNotificationJobs, sendEmailTask, sendSmsTask } from './pump';
import { createSendEmailTask } from './send-email';
import { createSendSmsTask } from './send-sms';
import type { SecretBox } from '../secrets';
import type { Channels } from '../channels/channels';
import {
  channelSendTask,
  channelsCursor,
  createChannelSendTask,
  planChannelSends,
} from '../channels/outbound';
import type { FileStorage } from '../files/storage';
import type { NotifySettings } from './settings';

export type NotificationsOptions = {
  db: Db;
  /** graphile-worker opens a small pool of its own (and one LISTEN connection). */
  databaseUrl: string;
  settings: NotifySettings;
  /** Opens the webhook endpoints' sealed signing secrets. */
  secrets: SecretBox;
  /** WhatsApp and SMS: the team's replies go out through their adapters. */
  channels: Channels;
  /** Files of messages sent over a channel are read from here. */
  files: FileStorage;
  onError: (message: string, error: unknown) => void;
  /** graphile-worker's own log lines (job failures, retries) and the error behind one. */
  log?: (level: string, message: string, error: unknown) => void;
};

/** The running delivery engine of one process. */
export type Notifications = {
  /** A NOTIFY said the log grew: plan its new events now. */
  wake(): void;
  /** Stops planning and waits for the send jobs in progress. */
  stop(): Promise<void>;
};

/** Starts the pumps (event log → jobs) and the job runner (jobs → emails, SMS, webhooks). */
export async function startNotifications(options: NotificationsOptions): Promise<Notifications> {
  const { settings } = options;
  // The job queue's own pool, made like every other: each client listens for 'error' for
  // its whole life. graphile-worker's own pool left a checked-out client without one, and
  // Ctrl-C reaching Postgres first (57P01) crashed the process. Its connections are named
  // for this process: another one tells by them whether it still lives (dead-workers.ts).
  const instance = newJobInstance();
  const jobsDb = createDb(options.databaseUrl, {
    max: settings.concurrency + 2,
    applicationName: instance.applicationName,
  });
  const taskList = {
    [sendEmailTask]: createSendEmailTask({ db: options.db, settings, channels: options.channels }),
    [sendSmsTask]: createSendSmsTask({ db: options.db, settings, channels: options.channels }),
    [accountEmailTask]: createAccountEmailTask({
      db: options.db,
      settings,
      channels: options.channels,
    }),
    [deliverWebhookTask]: createDeliverWebhookTask({
      db: options.db,
      settings,
      secrets: options.secrets,
      onError: options.onError,
    }),
    [channelSendTask]: createChannelSendTask({
      db: options.db,
      files: options.files,
      channels: options.channels,
    }),
  };
  const logger = new Logger(
    () => (level, message, meta) => options.log?.(level, message, meta?.error),
  );
  let utils: WorkerUtils | undefined;
  let workers: JobWorkers | undefined;
  try {
    utils = await makeWorkerUtils({ pgPool: jobsDb.$client, logger });
    workers = new JobWorkers({
      jobsDb,
      utils,
      instance,
      concurrency: settings.concurrency,
      pollMs: settings.pollMs,
      taskList,
      logger,
      onError: options.onError,
    });
    await workers.start();
  } catch (error) {
    await Promise.resolve(utils?.release()).catch(() => {});
    await closeDb(jobsDb);
    throw error;
  }
  const jobWorkers = workers;
  const workerUtils = utils;
  const sweep = () =>
    void unlockDeadWorkers(jobsDb, workerUtils, settings.staleJobSeconds).catch((error: unknown) =>
      options.onError('unlocking the jobs of a dead process failed', error),
    );
  sweep();
  const sweeper = setInterval(sweep, Math.min(60, settings.staleJobSeconds) * 1000);
  sweeper.unref();
  const { db, onError } = options;
  const pumps = [
    new LogPump({
      db,
      cursor: notifyCursor,
      plan: (tx, rows) =>
        planNotificationJobs(tx, rows, {
          replyDelaySeconds: settings.replyDelaySeconds,
          smsAvailable: () => options.channels.adapter('sms') !== null,
          onError,
        }),
      pollMs: settings.pollMs,
      onError,
    }),
    new LogPump({
      db,
      cursor: webhooksCursor,
      plan: (tx, rows) => planWebhookDeliveries(tx, rows, onError),
      pollMs: settings.pollMs,
      onError,
    }),
    new LogPump({
      db,
      cursor: channelsCursor,
      plan: (tx, rows) =>
        planChannelSends(tx, rows, {
          closingMessage: options.channels.settings.closingMessage,
          onError,
        }),
      pollMs: settings.pollMs,
      onError,
    }),
  ];
  for (const pump of pumps) pump.start();
  return {
    wake: () => {
      for (const pump of pumps) void pump.wake();
    },
    async stop() {
      clearInterval(sweeper);
      await Promise.all(pumps.map((pump) => pump.stop()));
      await jobWorkers.stop();
      await Promise.resolve(workerUtils.release()).catch(() => {});
      // A pool we passed in is ours to end. A runner left by `jobWorkers.stop` may still
      // hold one of its clients, and the end waits for every client: not for ever.
      await endPoolWithin(jobsDb, 5_000);
    },
  };
}
