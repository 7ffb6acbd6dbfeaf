/**
 * {@link pgStorage}: the store on a PostgreSQL server, through a node-postgres pool.
 */

import { AuthConfigError, AuthError } from '@auth/core';
import type { Pool, PoolConfig } from 'pg';
import { connectReason } from './lib/connect-reason.js';
import { type LocationOptions, tableNames } from './lib/names.js';
import { poolQueryable } from './lib/queryable.js';
import { type PgAuthStorage, sqlStorage } from './sql-storage.js';

/** Options of {@link pgStorage}: a `pool` or a `connectionString`, not both. */
export interface PgStorageOptions extends LocationOptions {
  /**
   * A node-postgres pool to use. It stays yours: `close()` does not end it. The store
   * adds an `'error'` listener (see `onIdleError`) and removes it on `close()`.
   */
  pool?: Pool;
  /**
   * `postgres://user:password@host:5432/db` to make a pool from; `close()` ends that pool.
   * It never appears in an error message.
   */
  connectionString?: string;
  /**
   * More settings of the pool made from `connectionString`. Defaults here:
   * `max` 10 connections, `connectionTimeoutMillis` 10 000 (ms; node-postgres' own
   * default waits forever), `idleTimeoutMillis` 10 000 (ms).
   */
  poolConfig?: Omit<PoolConfig, 'connectionString'>;
  /** Apply the migrations before resolving. Default `true`. */
  migrate?: boolean;
  /**
   * Called when an idle pooled connection fails (the server restarted, the network
   * dropped). The pool discards that connection and opens new ones on demand, so this
   * is for logging only. Default: a one-line `console.warn` with the error code.
   */
  onIdleError?: (error: Error) => void;
}

/**
 * Connects to a PostgreSQL server and resolves the store on it, migrated. Every
 * operation that must be atomic is one statement or one transaction: of concurrent
 * creates of one username exactly one succeeds, of concurrent spends of one refresh
 * token exactly one rotates. A failure of the database (refused, lost, shutting down)
 * rejects with `AuthError('storage_unavailable')`; the pool reconnects when the server
 * is back.
 * @param options - see {@link PgStorageOptions}
 * @returns the store; `close()` ends the pool it made
 * @throws AuthConfigError when neither or both of `pool` and `connectionString` are
 *   given, or `schema` / `tablePrefix` is not a safe identifier
 * @throws AuthError `storage_unavailable` when migrating fails (the server is unreachable)
 * @example
 * ```ts
 * import { pgStorage } from '@auth/pg';
 *
 * const storage = await pgStorage({ connectionString: process.env.DATABASE_URL, schema: 'auth' });
 * const auth = createAuth({ storage, … });
 * setInterval(() => storage.prune(systemClock.now()), 5 * 60_000).unref();
 * process.on('SIGTERM', () => storage.close());
 * ```
 */
export async function pgStorage(options: PgStorageOptions): Promise<PgAuthStorage> {
  const { pool: given, connectionString } = options;
  if ((given === undefined) === (connectionString === undefined || connectionString === '')) {
    throw new AuthConfigError('pool', 'give either a pg Pool or a connectionString');
  }
  tableNames(options); // refuse bad names before connecting
  const pool = given ?? (await createPool(connectionString!, options.poolConfig));
  const onIdleError = options.onIdleError ?? warnIdleError;
  const listener = (error: Error): void => onIdleError(error);
  pool.on('error', listener);
  const storage = sqlStorage(poolQueryable(pool, given === undefined), {
    schema: options.schema,
    tablePrefix: options.tablePrefix,
    kind: 'postgres',
    onClose: () => {
      pool.removeListener('error', listener);
    },
  });
  if (options.migrate !== false) {
    try {
      await storage.migrate();
    } catch (error) {
      await storage.close();
      throw startupError(error, connectionString);
    }
  }
  return storage;
}

async function createPool(connectionString: string, config: PoolConfig = {}): Promise<Pool> {
  const { default: pg } = await import('pg');
  return new pg.Pool({
    max: 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
    // Every wait is bounded, so a locked table or a silent server answers 503 within
    // seconds instead of holding requests (and the pool) without end: a statement runs at
    // most 10 s, waits at most 5 s for a lock, and the client gives up on an answer after
    // 15 s (a connection whose server went silent); dead peers are found by TCP keep-alive.
    statement_timeout: 10_000,
    lock_timeout: 5_000,
    idle_in_transaction_session_timeout: 30_000,
    query_timeout: 15_000,
    keepAlive: true,
    ...config,
    connectionString,
  });
}

function warnIdleError(error: Error): void {
  console.warn(
    `[@auth/pg] an idle database connection failed${connectReason(error)}; the pool will reconnect`,
  );
}

/**
 * A failure to reach the database at start-up, saying why (`cannot use the database
 * (ECONNREFUSED)`) where a request's error says only that storage is unavailable: it is
 * thrown to the app starting up, never answered to a client.
 */
function startupError(error: unknown, url: string | undefined): unknown {
  if (!(error instanceof AuthError) || error.code !== 'storage_unavailable') return error;
  return new AuthError('storage_unavailable', {
    description: `cannot use the database${connectReason(error.cause, url)}`,
    cause: error.cause,
  });
}
