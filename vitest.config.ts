import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; end-to-end tests start whole stacks of processes, so one file at a time.
export default defineConfig({
  resolve: { conditions: ['aigw-source'] },
  ssr: { resolve: { conditions: ['aigw-source'], externalConditions: ['aigw-source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{libs,services,tools}/*/src/**/*.test.ts', 'bench/src/**/*.test.ts', 'console/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{libs,services,tools}/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
