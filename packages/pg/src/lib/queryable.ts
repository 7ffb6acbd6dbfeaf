/**
 * The small interface the store talks to. A node-postgres pool and an embedded PGlite
 * both satisfy it, so one set of SQL statements runs on either.
 */

import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

/** A row as a driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/** Runs one SQL statement with `$1…$n` parameters and resolves its rows. */
export interface QueryRunner {
  /**
   * Runs one statement.
   * @param sql - a single SQL statement with `$n` placeholders
   * @param params - the values of the placeholders, in order
   * @returns the rows (empty for a statement without `RETURNING`)
   */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A connection to PostgreSQL the store runs on. */
export interface Queryable extends QueryRunner {
  /**
   * Runs `fn` in one transaction (READ COMMITTED), on one connection: commits when it
   * resolves, rolls back when it rejects. Transactions on the same connection are
   * serialised.
   */
  transaction<T>(fn: (tx: QueryRunner) => Promise<T>): Promise<T>;
  /** Releases the connection (ends an owned pool, closes PGlite). */
  close(): Promise<void>;
}

/**
 * A {@link Queryable} over a node-postgres pool. A query takes any idle client; a
 * transaction holds one client from `BEGIN` to `COMMIT`. A client whose connection broke
 * (also while it was held: the error is caught, never left to crash the process) is
 * discarded instead of being returned to the pool.
 * @param pool - the pool
 * @param owned - whether `close()` ends the pool
 */
export function poolQueryable(pool: Pool, owned: boolean): Queryable {
  return {
    async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query<R>(sql, params as unknown[]);
      return result.rows;
    },

    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client has no 'error' listener of the pool's: a connection that dies
      // now (a terminated backend, a reset socket) would emit an unhandled 'error' and
      // crash the process. The failure reaches the caller through the query it breaks.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(clientRunner(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is gone: the server rolled back; drop the client.
          broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
        }
        throw error;
      } finally {
        // A broken client is discarded and keeps the listener for whatever else it emits.
        if (!broken) client.removeListener('error', onError);
        client.release(broken);
      }
    },

    async close() {
      if (owned) await pool.end();
    },
  };
}

function clientRunner(client: PoolClient): QueryRunner {
  return {
    async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<R>(sql, params as unknown[]);
      return result.rows;
    },
  };
}

/**
 * A {@link Queryable} over PGlite. PGlite is one connection: it runs one query or one
 * whole transaction at a time and queues the rest, so concurrent calls are serialised.
 * @param db - the PGlite instance, closed by `close()`
 */
export function pgliteQueryable(db: PGlite): Queryable {
  return {
    async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(sql, params as unknown[]);
      return result.rows;
    },

    transaction(fn) {
      return db.transaction((tx) =>
        fn({
          async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
            const result = await tx.query<R>(sql, params as unknown[]);
            return result.rows;
          },
        }),
      );
    },

    async close() {
      if (!db.closed) await db.close();
    },
  };
}
