import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/e2e/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'bench/src/**/*.test.ts',
    ],
    globalSetup: ['packages/db/src/testing/global-setup.ts', 'apps/web/e2e/support/served-copy.ts'],
    // Generous: CI shares two cores between four test workers, and sometimes other work.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Property-based and integration tests are I/O bound: two workers per core.
    maxWorkers: 4,
  },
});
