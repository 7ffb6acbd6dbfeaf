import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.js';

export default defineConfig({
  test: {
    projects,
    // At least two test files at a time, also on a 2-core machine (where vitest's default
    // is one): most files wait on processes they started (the examples, PostgreSQL,
    // Chromium), so with one file at a time a core sat idle about half the run.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
