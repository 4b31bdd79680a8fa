import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests start real servers and child processes; forks isolate them and keep native modules happy.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
