/**
 * The core's storage contract, unchanged, against every way this package reaches
 * PostgreSQL: PGlite in memory, PGlite in a directory (tables in `public` under a
 * prefix), and a real server when `DATABASE_URL` is set.
 */

import { storageContract } from '@auth/core/testing';
import { describe, it } from 'vitest';
import { type PgAuthStorage, pgliteStorage, pgStorage } from '../src/index.js';
import {
  DATABASE_URL,
  dropSchema,
  NO_SERVER,
  removeDir,
  tempDir,
  uniqueSchema,
} from './helpers.js';

storageContract({
  name: 'pglite (in memory)',
  create: () => pgliteStorage({ schema: uniqueSchema() }),
  teardown: (storage) => (storage as PgAuthStorage).close(),
});

let dataDir: string | undefined;
storageContract({
  name: 'pglite (data dir, public schema, table prefix)',
  create: async () => {
    dataDir = await tempDir();
    return pgliteStorage({ dataDir, schema: 'public', tablePrefix: 'auth_' });
  },
  teardown: async (storage) => {
    await (storage as PgAuthStorage).close();
    if (dataDir) await removeDir(dataDir);
  },
});

if (DATABASE_URL) {
  const schema = uniqueSchema();
  storageContract({
    name: 'postgres',
    create: () => pgStorage({ connectionString: DATABASE_URL, schema }),
    teardown: async (storage) => {
      await (storage as PgAuthStorage).close();
      await dropSchema(schema);
    },
  });
} else {
  describe.skip(`storage contract: postgres (skipped: ${NO_SERVER})`, () => {
    it('runs the storage contract against a PostgreSQL server', () => {});
  });
}
