import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'example-node-http', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
