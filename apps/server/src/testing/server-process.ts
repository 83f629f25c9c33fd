/**
 * A Parley server as a separate OS process, for tests that kill one with SIGKILL:
 * `node --import tsx server-process.ts` with PARLEY_TEST_DATABASE_URL (already
 * migrated), PORT (0 for a free one) and optionally PARLEY_TEST_REALTIME (JSON hub
 * tuning), PARLEY_TEST_WEB_ROOT (the built web app to serve), PARLEY_TEST_NOTIFY (JSON
 * notification settings: the delivery engine runs) and PARLEY_TEST_SMTP_URL (where mail
 * goes; kept in the database without it). Prints `{"port": n}`
 * on stdout once it listens; exits when its stdin ends (the parent died).
 */
import type { HubTuning, NotifySettings } from '@parley/api';
import { testSecretKey } from '@parley/api/testing';
import { startServer } from '../app';
import { createLogger } from '../log';

const databaseUrl = process.env.PARLEY_TEST_DATABASE_URL;
if (!databaseUrl) throw new Error('PARLEY_TEST_DATABASE_URL is required');

const server = await startServer({
  databaseUrl,
  secretKey: testSecretKey,
  port: Number(process.env.PORT ?? 0),
  webRoot: process.env.PARLEY_TEST_WEB_ROOT || null,
  logger: createLogger({ silent: true }),
  limits: { messagesPerUser: { max: 100_000, windowSeconds: 60 } },
  realtime: JSON.parse(process.env.PARLEY_TEST_REALTIME ?? '{}') as Partial<HubTuning>,
  ...(process.env.PARLEY_TEST_NOTIFY
    ? { notify: JSON.parse(process.env.PARLEY_TEST_NOTIFY) as Partial<NotifySettings> }
    : {}),
  ...(process.env.PARLEY_TEST_SMTP_URL
    ? { mail: { smtpUrl: process.env.PARLEY_TEST_SMTP_URL } }
    : {}),
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
// The test process that started this one holds the other end of stdin: when it dies
// (a run killed by hand), the pipe ends, and so does this server, instead of running on.
process.stdin.on('end', () => process.exit(1));
process.stdin.resume();
