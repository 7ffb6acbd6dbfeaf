/**
 * `@auth/pg`: PostgreSQL storage for `@auth/core`. {@link pgStorage} runs on a server
 * through a node-postgres pool, {@link pgliteStorage} on embedded PGlite (in memory or in
 * a directory), {@link storageFromEnv} picks one from `DATABASE_URL` / `AUTH_DATA_DIR`.
 * One set of SQL statements, migrations included, serves all of them.
 * @packageDocumentation
 */

export { StorageFailure } from './lib/errors.js';
export { DataDirLockedError } from './lib/lock.js';
export { SchemaVersionError } from './lib/migrations.js';
export { DEFAULT_SCHEMA, type LocationOptions } from './lib/names.js';
export type { Queryable, QueryRunner, Row } from './lib/queryable.js';
export { type PgStorageOptions, pgStorage } from './pg-storage.js';
export { type PgliteStorageOptions, pgliteStorage } from './pglite-storage.js';
export {
  type PgAuthStorage,
  type PgStorageKind,
  type SqlStorageOptions,
  sqlStorage,
} from './sql-storage.js';
export { type StorageFromEnvConfig, storageFromEnv } from './storage-from-env.js';
