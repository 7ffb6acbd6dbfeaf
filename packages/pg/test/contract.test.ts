/**
 * The core's storage contract, unchanged, against every way this package reaches
 * PostgreSQL: PGlite in memory, PGlite in a directory (tables in `public` under a
 * prefix), and a real server when `DATABASE_URL` is set.
 */

import { storageContract } from '@auth/core/testing';
import { describe } from 'vitest';
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

// The same contract on a real server; without DATABASE_URL the whole block is skipped and
// its title says why (the contract's own cases are registered, so the count shows them).
describe.skipIf(!DATABASE_URL)(
  `storage contract on postgres${DATABASE_URL ? '' : ` (skipped: ${NO_SERVER})`}`,
  () => {
    const schema = uniqueSchema();
    storageContract({
      name: 'postgres',
      create: () => pgStorage({ connectionString: DATABASE_URL, schema }),
      teardown: async (storage) => {
        await (storage as PgAuthStorage).close();
        await dropSchema(schema);
      },
    });
  },
);
