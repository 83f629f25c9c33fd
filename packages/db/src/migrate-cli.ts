import { openDatabaseServer } from './bootstrap';
import { runMigrations } from './migrate';

const server = await openDatabaseServer({ log: (line) => console.error(line) });
try {
  await runMigrations(server.url);
  console.error('migrations applied');
} finally {
  await server.stop();
}
