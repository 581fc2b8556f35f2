import { defineConfig } from 'vitest/config';

// The bench's own unit tests (pure helpers: statistics, wrk script, formatting, options).
export default defineConfig({
  resolve: { conditions: ['aigw-source'] },
  ssr: { resolve: { conditions: ['aigw-source'], externalConditions: ['aigw-source'] } },
  test: { include: ['src/**/*.test.ts'] },
});
