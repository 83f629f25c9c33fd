import { fileURLToPath } from 'node:url';
import { defaultStateDir, openDatabaseServer, runMigrations } from '@parley/db/server';
import { channelSettingsFromEnv } from '@parley/api';
import { startServer } from './app';
import { createDemoAdminIfEmpty, demoAdminEmail } from './demo-admin';
import { createLogger, errorFields, logLevelFromEnv } from './log';
import { loadSecretKey } from './secret-key';
import { handleShutdown } from './shutdown';

const logger = createLogger({ level: logLevelFromEnv() });
// Before anything starts: a Ctrl-C during start-up stops what was started (Postgres too).
const shutdown = handleShutdown(logger);
const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

async function main() {
  const secretKey = await loadSecretKey({
    env: process.env,
    stateDir: defaultStateDir(),
    log: (message, fields) => logger.info(message, fields),
  });
  const database = await openDatabaseServer({ log: (line) => logger.info(line) });
  // A second Ctrl-C exits at once; Postgres, in a session of its own, is still told to stop.
  shutdown.onForcedExit(() => database.signalStop());
  try {
    await runMigrations(database.url);
    const server = await startServer({
      databaseUrl: database.url,
      secretKey,
      ...(process.env.PARLEY_LISTEN_DATABASE_URL
        ? { listenDatabaseUrl: process.env.PARLEY_LISTEN_DATABASE_URL }
        : {}),
      port: Number(process.env.PORT ?? 3000),
      host: process.env.HOST ?? '0.0.0.0',
      webRoot,
      trustProxy: process.env.PARLEY_TRUST_PROXY === '1',
      geoipCsv: process.env.PARLEY_GEOIP_CSV || null,
      allowedOrigins: (process.env.PARLEY_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
      notify: true,
      channels: channelSettingsFromEnv(`http://localhost:${process.env.PORT ?? 3000}`),
      emailIn: true,
      logger,
    });

    const password =
      process.env.PARLEY_NO_DEMO === '1' ? null : await createDemoAdminIfEmpty(server.services.db);
    const url = `http://localhost:${server.port}`;
    logger.info('listening', { url, database: database.embedded ? 'embedded' : 'DATABASE_URL' });
    // Last, so that it is still on screen: requests are logged at debug only.
    if (password) {
      process.stdout.write(
        framed([
          'A demo admin was created (this is shown once):',
          '',
          `  open:     ${url}`,
          `  email:    ${demoAdminEmail}`,
          `  password: ${password}`,
          '',
          'Set PARLEY_NO_DEMO=1 to skip this on a new database.',
        ]),
      );
    }
    // Last: a signal that came during start-up stops the server only once it is complete.
    shutdown.ready([() => server.close(), () => database.stop()]);
  } catch (error) {
    await database.stop();
    throw error;
  }
}

/** Lines in a box, set apart from the JSON log lines around it. */
function framed(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 4)}+`;
  const body = lines.map((line) => `|  ${line.padEnd(width)}  |`);
  return `\n${[rule, ...body, rule].join('\n')}\n\n`;
}

main().catch((error: unknown) => {
  logger.error('failed to start', errorFields(error));
  process.exit(1);
});
