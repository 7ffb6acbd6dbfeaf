/**
 * {@link storageFromEnv}: the store the examples use — a PostgreSQL server when
 * `DATABASE_URL` is set, else embedded PGlite in `AUTH_DATA_DIR`.
 */

import { AuthConfigError, AuthError } from '@auth/core';
import { connectReason } from './lib/connect-reason.js';
import { DataDirLockedError } from './lib/lock.js';
import { SchemaVersionError } from './lib/migrations.js';
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
 * @param config - `{ databaseUrl, dataDir }`, e.g. from `@auth/core/env`'s `readEnv`
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
      if (error instanceof SchemaVersionError) {
        throw new Error(`DATABASE_URL: ${error.message}`, { cause: error });
      }
      if (!(error instanceof AuthError)) throw error;
      throw new Error(`DATABASE_URL: cannot use the database${connectReason(error.cause, url)}`, {
        cause: error,
      });
    }
  }
  try {
    return await pgliteStorage({
      dataDir: config.dataDir,
      dataDirLabel: 'AUTH_DATA_DIR',
      ...location,
    });
  } catch (error) {
    if (error instanceof SchemaVersionError) {
      throw new Error(`AUTH_DATA_DIR ${config.dataDir}: ${error.message}`, { cause: error });
    }
    const known =
      error instanceof DataDirLockedError ||
      error instanceof AuthError ||
      error instanceof AuthConfigError;
    if (!known) {
      // A file-system failure (EACCES, ENOSPC…) or PGlite refusing the directory.
      throw new Error(`AUTH_DATA_DIR ${config.dataDir}: ${describe(error)}`, { cause: error });
    }
    throw error;
  }
}

/**
 * A thrown value in one line. PGlite's file-system errors are plain objects
 * (`{ name: 'ErrnoError', errno: 54 }`), not `Error`s.
 */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!;
  const name = Reflect.get(Object(error), 'name');
  const errno = Reflect.get(Object(error), 'errno');
  if (typeof name === 'string' && typeof errno === 'number') {
    return `the embedded database can't use the directory (${name} ${errno})`;
  }
  return typeof error === 'string' ? error.split('\n')[0]! : 'the embedded database failed to open';
}
