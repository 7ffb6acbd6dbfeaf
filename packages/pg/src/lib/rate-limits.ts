/**
 * The SQL {@link RateLimitStore}: one row per key holding when each of its newest hits stops
 * counting (a sliding window), and the last of those times for `prune`. A hit or a take is
 * one `INSERT … ON CONFLICT DO UPDATE`, atomic under any number of concurrent calls.
 */

import type { RateLimitStore, RateLimitWindow } from '@auth/core';
import { argumentError } from './errors.js';
import type { TableNames } from './names.js';
import type { Queryable } from './queryable.js';
import { ms, toNumber, toWindow } from './rows.js';

function checkArguments(windowMs: number, limit: number): void {
  if (!(windowMs > 0)) throw argumentError('windowMs must be a positive number of milliseconds');
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw argumentError('limit must be a positive integer');
  }
}

/** Creates the {@link RateLimitStore} over `db`; errors are mapped by the caller. */
export function sqlRateLimitStore(db: Queryable, t: TableNames): RateLimitStore {
  async function peek(key: string, now: number): Promise<RateLimitWindow | null> {
    const rows = await db.query(
      `SELECT count(*) AS count, min(e) AS reset_at
       FROM ${t.rateLimits}, unnest(expiries) AS u(e)
       WHERE key = $1 AND e > $2`,
      [key, ms(now, 'now')],
    );
    return rows[0] && toNumber(rows[0].count) > 0 ? toWindow(rows[0]) : null;
  }

  return {
    async hit(key, windowMs, now, limit) {
      checkArguments(windowMs, limit);
      // The hits that still count, plus this one; the newest `limit` of them, ascending.
      const rows = await db.query(
        `INSERT INTO ${t.rateLimits} AS w (key, expiries, reset_at)
         VALUES ($1, ARRAY[$2::bigint + $3::bigint], $2::bigint + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET
           expiries = ARRAY(
             SELECT e FROM (
               SELECT e FROM unnest(w.expiries || EXCLUDED.expiries) AS u(e)
               WHERE e > $2::bigint ORDER BY e DESC LIMIT $4::integer
             ) AS kept ORDER BY e
           ),
           reset_at = GREATEST(w.reset_at, EXCLUDED.reset_at)
         RETURNING cardinality(expiries) AS count, expiries[1] AS reset_at`,
        [key, ms(now, 'now'), ms(windowMs, 'windowMs'), limit],
      );
      return toWindow(rows[0]!);
    },

    async take(key, windowMs, now, limit) {
      checkArguments(windowMs, limit);
      // The update's WHERE is evaluated on the row as locked, after any concurrent take has
      // committed: a full window updates nothing and returns no row.
      const rows = await db.query(
        `INSERT INTO ${t.rateLimits} AS w (key, expiries, reset_at)
         VALUES ($1, ARRAY[$2::bigint + $3::bigint], $2::bigint + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET
           expiries = ARRAY(
             SELECT e FROM unnest(w.expiries || EXCLUDED.expiries) AS u(e)
             WHERE e > $2::bigint ORDER BY e
           ),
           reset_at = GREATEST(w.reset_at, EXCLUDED.reset_at)
         WHERE (SELECT count(*) FROM unnest(w.expiries) AS u(e) WHERE e > $2::bigint)
           < $4::integer
         RETURNING cardinality(expiries) AS count, expiries[1] AS reset_at`,
        [key, ms(now, 'now'), ms(windowMs, 'windowMs'), limit],
      );
      if (rows[0]) return { ...toWindow(rows[0]), taken: true };
      const window = (await peek(key, now)) ?? { count: 0, resetAt: now };
      return { ...window, taken: false };
    },

    async release(key, expiresAt) {
      await db.query(
        `UPDATE ${t.rateLimits}
         SET expiries = expiries[:array_position(expiries, $2::bigint) - 1]
           || expiries[array_position(expiries, $2::bigint) + 1:]
         WHERE key = $1 AND $2::bigint = ANY(expiries)`,
        [key, ms(expiresAt, 'expiresAt')],
      );
    },

    peek,

    async reset(key) {
      await db.query(`DELETE FROM ${t.rateLimits} WHERE key = $1`, [key]);
    },

    async prune(now) {
      const rows = await db.query(
        `WITH gone AS (DELETE FROM ${t.rateLimits} WHERE reset_at <= $1 RETURNING 1)
         SELECT count(*) AS removed FROM gone`,
        [ms(now, 'now')],
      );
      return toNumber(rows[0]?.removed ?? 0);
    },
  };
}
