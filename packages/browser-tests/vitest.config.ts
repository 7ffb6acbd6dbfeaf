import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'browser',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Each file runs two example instances and a Chromium; on 2 cores, one file at a time.
    fileParallelism: false,
  },
});
