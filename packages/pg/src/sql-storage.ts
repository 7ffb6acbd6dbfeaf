/**
 * {@link sqlStorage}: the one implementation of {@link AuthStorage} on PostgreSQL, over any
 * {@link Queryable}. `pgStorage` and `pgliteStorage` are this with a connection made.
 */

import type { AuthStorage } from '@auth/core';
import { mapErrors, toAuthError } from './lib/errors.js';
import { migrate, SchemaVersionError } from './lib/migrations.js';
import { type LocationOptions, tableNames } from './lib/names.js';
import type { Queryable } from './lib/queryable.js';
import { sqlRateLimitStore } from './lib/rate-limits.js';
import { ms } from './lib/rows.js';
import { sqlSessionStore } from './lib/sessions.js';
import { sqlUserStore } from './lib/users.js';

/** Where the store runs: a PostgreSQL server through a pool, or embedded PGlite. */
export type PgStorageKind = 'postgres' | 'pglite';

/** An {@link AuthStorage} in PostgreSQL, with its upkeep. */
export interface PgAuthStorage extends AuthStorage {
  /** `'postgres'` for a server reached through a pool, `'pglite'` for embedded PGlite. */
  readonly kind: PgStorageKind;
  /** Schema holding the tables. */
  readonly schema: string;
  /**
   * Applies the migrations the database lacks; idempotent and safe to run from several
   * instances at once (it holds an advisory lock). The factories call it before
   * resolving unless told not to.
   * @throws AuthError `storage_unavailable` when the database cannot be reached
   */
  migrate(): Promise<void>;
  /**
   * Deletes expired refresh tokens and session families and ended rate-limit windows;
   * call it periodically (every few minutes) so no table grows without bound.
   * @param now - the clock's time, ms since the epoch
   * @returns how many rows went
   */
  prune(now: number): Promise<number>;
  /** Releases the connection (ends a pool it made, closes PGlite and frees its data dir). */
  close(): Promise<void>;
}

/** Options of {@link sqlStorage}. */
export interface SqlStorageOptions extends LocationOptions {
  /** Reported as {@link PgAuthStorage.kind}. Default `'postgres'`. */
  kind?: PgStorageKind;
  /** Called by `close()` after the connection is released. Default: none. */
  onClose?: () => Promise<void> | void;
}

/**
 * Builds the store over a {@link Queryable} without connecting or migrating; call
 * `migrate()` before the first use. For other drivers: implement `Queryable` (one
 * statement per `query`, READ COMMITTED transactions) and pass it here.
 * @param db - the connection
 * @param options - see {@link SqlStorageOptions}
 * @throws AuthConfigError when `schema` or `tablePrefix` is not a safe identifier
 * @example
 * ```ts
 * const storage = sqlStorage(myQueryable, { schema: 'auth' });
 * await storage.migrate();
 * const auth = createAuth({ storage, … });
 * ```
 */
export function sqlStorage(db: Queryable, options: SqlStorageOptions = {}): PgAuthStorage {
  const t = tableNames(options);
  const mapped = <T extends object>(store: T): T => mapErrors(store, t.usernameConstraint);
  const users = mapped(sqlUserStore(db, t));
  const sessions = mapped(sqlSessionStore(db, t));
  const rateLimits = mapped(sqlRateLimitStore(db, t));
  let closing: Promise<void> | undefined;

  return Object.freeze({
    kind: options.kind ?? 'postgres',
    schema: t.schema,
    users,
    sessions,
    rateLimits,

    async migrate() {
      try {
        await migrate(db, t);
      } catch (error) {
        if (error instanceof SchemaVersionError) throw error;
        throw toAuthError(error, t.usernameConstraint);
      }
    },

    async prune(now: number) {
      ms(now, 'now');
      const [tokens, windows] = [await sessions.prune(now), await rateLimits.prune(now)];
      return tokens + windows;
    },

    close() {
      closing ??= (async () => {
        try {
          await db.close();
        } finally {
          await options.onClose?.();
        }
      })();
      return closing;
    },
  });
}
