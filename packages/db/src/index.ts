export * from './schema';
export * from './client';
export * from './bootstrap';
export * from './migrate';
export * from './events';
export * from './at-commit';
export * from './queries';
export * from './seed';
