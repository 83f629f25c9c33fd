// `@parley/db`: schema, queries and types. Importing it starts nothing: no embedded
// PostgreSQL, no process listeners, no connections (`entry-points.test.ts`). The
// server side lives in `@parley/db/server`, the demo data in `@parley/db/seed`.
export * from './schema';
export * from './client';
export * from './at-commit';
export * from './queries';
export * from './unavailable';
export * from './viewer';
export * from './session-lock';
