/**
 * {@link storageFromEnv}: the store the examples use — a PostgreSQL server when
 * `DATABASE_URL` is set, else embedded PGlite in `AUTH_DATA_DIR`.
 */

import { AuthConfigError, AuthError } from '@auth/core';
import { DataDirLockedError } from './lib/lock.js';
import type { LocationOptions } from './lib/names.js';
import { pgStorage } from './pg-storage.js';
import { pgliteStorage } from './pglite-storage.js';
import type { PgAuthStorage } from './sql-storage.js';

/** What {@link storageFromEnv} reads, as `@auth/core/env` returns it. */
export interface StorageFromEnvConfig extends LocationOptions {
  /** `DATABASE_URL`: when set (not empty), the server to connect to. */
  databaseUrl?: string;
  /** `AUTH_DATA_DIR`: where embedded PGlite keeps its data, created when missing. */
  dataDir: string;
}

/**
 * Opens the store the environment asks for: `DATABASE_URL` → a pool to that server,
 * otherwise PGlite in `dataDir` (created recursively), migrated either way. Start-up
 * failures reject with an `Error` whose message is one line naming the variable and
 * never the URL, e.g. `AUTH_DATA_DIR ./.data is in use by another process (pid 1234)`
 * or `DATABASE_URL: cannot use the database (ECONNREFUSED)`.
 * @param config - `{ databaseUrl, dataDir }`, e.g. from `@auth/core/env`'s `loadEnv`
 * @returns the store; `kind` says which (`'postgres'` or `'pglite'`)
 * @example
 * ```ts
 * import { storageFromEnv } from '@auth/pg';
 *
 * const storage = await storageFromEnv({
 *   databaseUrl: process.env.DATABASE_URL,
 *   dataDir: process.env.AUTH_DATA_DIR ?? './.data',
 * });
 * console.log(`storage: ${storage.kind}`);
 * ```
 */
export async function storageFromEnv(config: StorageFromEnvConfig): Promise<PgAuthStorage> {
  const location = { schema: config.schema, tablePrefix: config.tablePrefix };
  const url = config.databaseUrl?.trim();
  if (url) {
    try {
      return await pgStorage({ connectionString: url, ...location });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const code = Reflect.get(Object(error.cause), 'code');
      const reason = typeof code === 'string' ? ` (${code})` : '';
      throw new Error(`DATABASE_URL: cannot use the database${reason}`, { cause: error });
    }
  }
  try {
    return await pgliteStorage({
      dataDir: config.dataDir,
      dataDirLabel: 'AUTH_DATA_DIR',
      ...location,
    });
  } catch (error) {
    const known =
      error instanceof DataDirLockedError ||
      error instanceof AuthError ||
      error instanceof AuthConfigError;
    if (!known && error instanceof Error) {
      // A file-system failure (EACCES, ENOSPC…) or PGlite refusing the directory.
      throw new Error(`AUTH_DATA_DIR ${config.dataDir}: ${error.message.split('\n')[0]}`, {
        cause: error,
      });
    }
    throw error;
  }
}
