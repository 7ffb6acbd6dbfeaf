/**
 * The SQL {@link RateLimitStore}: one row per key holding a fixed window. A hit is one
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
    async hit(key, windowMs, now) {
      if (!(windowMs > 0))
        throw argumentError('windowMs must be a positive number of milliseconds');
      const rows = await db.query(
        `INSERT INTO ${t.rateLimits} AS w (key, count, reset_at)
         VALUES ($1, 1, $2::bigint + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN w.reset_at <= $2::bigint THEN 1 ELSE w.count + 1 END,
           reset_at = CASE WHEN w.reset_at <= $2::bigint THEN EXCLUDED.reset_at ELSE w.reset_at END
         RETURNING count, reset_at`,
        [key, ms(now, 'now'), ms(windowMs, 'windowMs')],
      );
      return toWindow(rows[0]!);
    },

    async peek(key, now) {
      const rows = await db.query(
        `SELECT count, reset_at FROM ${t.rateLimits} WHERE key = $1 AND reset_at > $2`,
        [key, ms(now, 'now')],
      );
      return rows[0] ? toWindow(rows[0]) : null;
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
