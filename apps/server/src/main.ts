import { fileURLToPath } from 'node:url';
import { openDatabaseServer, runMigrations } from '@parley/db/server';
import { startServer } from './app';
import { createDemoAdminIfEmpty, demoAdminEmail } from './demo-admin';
import { createLogger, errorFields } from './log';
import { onShutdown } from './shutdown';

const logger = createLogger();
const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

async function main() {
  const database = await openDatabaseServer({ log: (line) => logger.info(line) });
  try {
    await runMigrations(database.url);
    const server = await startServer({
      databaseUrl: database.url,
      port: Number(process.env.PORT ?? 3000),
      host: process.env.HOST ?? '0.0.0.0',
      webRoot,
      trustProxy: process.env.PARLEY_TRUST_PROXY === '1',
      allowedOrigins: (process.env.PARLEY_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
      logger,
    });
    onShutdown(logger, [() => server.close(), () => database.stop()]);

    if (process.env.PARLEY_NO_DEMO !== '1') {
      const password = await createDemoAdminIfEmpty(server.services.db);
      if (password) {
        process.stdout.write(
          `\n  A demo admin was created (this is shown once):\n` +
            `    email:    ${demoAdminEmail}\n    password: ${password}\n` +
            `  Set PARLEY_NO_DEMO=1 to skip this on a new database.\n\n`,
        );
      }
    }
    logger.info('listening', {
      url: `http://localhost:${server.port}`,
      database: database.embedded ? 'embedded' : 'DATABASE_URL',
    });
  } catch (error) {
    await database.stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  logger.error('failed to start', errorFields(error));
  process.exit(1);
});
