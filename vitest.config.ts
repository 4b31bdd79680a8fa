import { defineConfig } from 'vitest/config';

// Tests start real servers and child processes; forks isolate them and keep native modules happy.
const shared = { pool: 'forks', testTimeout: 30_000, hookTimeout: 60_000 } as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'node',
          include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        // The API suite again, against the Worker build in workerd with D1 (see testing/backends.ts).
        test: {
          ...shared,
          name: 'workerd',
          include: [
            'apps/control-plane/src/routes/**/*.test.ts',
            'apps/control-plane/src/dashboard/**/*.test.ts',
          ],
          env: { FLEET_TEST_RUNTIME: 'workerd' },
        },
      },
    ],
  },
});
