export { createTestDatabase, type TestDatabase } from './test-database';
export { startEmbeddedPostgres } from '../embedded';
export * from './rows';
