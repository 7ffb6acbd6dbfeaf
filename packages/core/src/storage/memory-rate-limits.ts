/**
 * The in-memory {@link RateLimitStore}: one fixed window per key, at most
 * `maxKeys` of them. Past the cap, ended windows go first, then the oldest.
 */

import { AuthConfigError } from '../errors.js';
import type { RateLimitStore, RateLimitWindow } from './types.js';

/** Default of {@link MemoryRateLimitStoreOptions.maxKeys}. */
export const DEFAULT_MAX_RATE_LIMIT_KEYS = 100_000;

/** Options of {@link memoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /**
   * Most windows (keys) kept at once, a positive integer. When a new key would pass it,
   * ended windows are dropped first, then the windows opened longest ago.
   * Default {@link DEFAULT_MAX_RATE_LIMIT_KEYS} (100 000).
   */
  maxKeys?: number;
}

/**
 * Creates an in-memory {@link RateLimitStore} with bounded memory.
 * @param options - see {@link MemoryRateLimitStoreOptions}
 * @throws AuthConfigError when `maxKeys` is not a positive integer
 * @example
 * ```ts
 * const limits = memoryRateLimitStore({ maxKeys: 10_000 });
 * const { count, resetAt } = await limits.hit(`login:${ip}`, 60_000, clock.now());
 * ```
 */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_RATE_LIMIT_KEYS;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new AuthConfigError('maxKeys', 'must be a positive integer');
  }
  // Map order is the order windows opened: the first entry is the oldest.
  const windows = new Map<string, RateLimitWindow>();
  // A lower bound of every stored `resetAt`: no sweep can free anything before it.
  let earliestReset = Number.POSITIVE_INFINITY;

  function sweep(now: number): number {
    let removed = 0;
    earliestReset = Number.POSITIVE_INFINITY;
    for (const [key, window] of windows) {
      if (window.resetAt <= now) {
        windows.delete(key);
        removed++;
      } else if (window.resetAt < earliestReset) {
        earliestReset = window.resetAt;
      }
    }
    return removed;
  }

  function open(key: string, windowMs: number, now: number): RateLimitWindow {
    windows.delete(key);
    if (windows.size >= maxKeys && earliestReset <= now) sweep(now);
    for (const oldest of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(oldest);
    }
    const window = Object.freeze({ count: 1, resetAt: now + windowMs });
    windows.set(key, window);
    earliestReset = Math.min(earliestReset, window.resetAt);
    return window;
  }

  return {
    async hit(key, windowMs, now) {
      if (!(windowMs > 0 && Number.isFinite(windowMs))) {
        throw new RangeError('windowMs must be a positive, finite number of milliseconds');
      }
      const current = windows.get(key);
      if (!current || current.resetAt <= now) return open(key, windowMs, now);
      const window = Object.freeze({ count: current.count + 1, resetAt: current.resetAt });
      windows.set(key, window);
      return window;
    },

    async peek(key, now) {
      const window = windows.get(key);
      return window && window.resetAt > now ? window : null;
    },

    async reset(key) {
      windows.delete(key);
    },

    async prune(now) {
      return sweep(now);
    },
  };
}
