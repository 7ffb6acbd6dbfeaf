/**
 * The SQL {@link RateLimitStore}: one row per key holding when each of its newest hits stops
 * counting (a sliding window), and the last of those times for `prune`. A hit is one
 * `INSERT … ON CONFLICT DO UPDATE`, atomic under any number of concurrent hits.
 */

import type { RateLimitStore } from '@auth/core';
import { argumentError } from './errors.js';
import type { TableNames } from './names.js';
import type { Queryable } from './queryable.js';
import { ms, toNumber, toWindow } from './rows.js';

/** Creates the {@link RateLimitStore} over `db`; errors are mapped by the caller. */
export function sqlRateLimitStore(db: Queryable, t: TableNames): RateLimitStore {
  return {
    async hit(key, windowMs, now, limit) {
      if (!(windowMs > 0))
        throw argumentError('windowMs must be a positive number of milliseconds');
      if (!Number.isSafeInteger(limit) || limit < 1)
        throw argumentError('limit must be a positive integer');
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

    async peek(key, now) {
      const rows = await db.query(
        `SELECT count(*) AS count, min(e) AS reset_at
         FROM ${t.rateLimits}, unnest(expiries) AS u(e)
         WHERE key = $1 AND e > $2`,
        [key, ms(now, 'now')],
      );
      return rows[0] && toNumber(rows[0].count) > 0 ? toWindow(rows[0]) : null;
    },

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
