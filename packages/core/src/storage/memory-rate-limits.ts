/**
 * The in-memory {@link RateLimitStore}: per key, the expiry times of its newest hits (a
 * sliding window), at most `maxKeys` keys. When a new key finds the store full, it frees a
 * sixteenth of the cap in one go: keys none of whose hits count go first, then the keys hit
 * longest ago. Freeing one key per insert would make a flood of new keys cost a walk over
 * every key (the sweep) or over the tombstones of earlier deletions (V8's `Map` iterates
 * past them until it rehashes) on each insert; in batches the work is a few steps per key.
 */

import { AuthConfigError } from '../errors.js';
import type { RateLimitStore, RateLimitWindow } from './types.js';

/** Default of {@link MemoryRateLimitStoreOptions.maxKeys}. */
export const DEFAULT_MAX_RATE_LIMIT_KEYS = 100_000;

/** Options of {@link memoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /**
   * Most keys kept at once, a positive integer. When a new key would pass it, a sixteenth
   * of it (at least one key) is freed at once: keys none of whose hits count any more
   * first, then the keys hit longest ago. Default {@link DEFAULT_MAX_RATE_LIMIT_KEYS}
   * (100 000).
   */
  maxKeys?: number;
}

/** When each kept hit stops counting, ascending. */
type Expiries = readonly number[];

function windowOf(expiries: Expiries): RateLimitWindow {
  return Object.freeze({ count: expiries.length, resetAt: expiries[0]! });
}

/** The hits of `expiries` that still count at `now`. */
function live(expiries: Expiries | undefined, now: number): Expiries {
  if (!expiries || expiries.length === 0 || expiries[expiries.length - 1]! <= now) return [];
  if (expiries[0]! > now) return expiries;
  return expiries.filter((e) => e > now);
}

/** `expiries` with one more hit that stops counting at `end`, still ascending. */
function withHit(expiries: Expiries, end: number): Expiries {
  const kept = [...expiries];
  // A clock set back can make the new end not the latest.
  let at = kept.length;
  while (at > 0 && kept[at - 1]! > end) at--;
  kept.splice(at, 0, end);
  return Object.freeze(kept);
}

function checkArguments(windowMs: number, limit: number): void {
  if (!(windowMs > 0 && Number.isFinite(windowMs))) {
    throw new RangeError('windowMs must be a positive, finite number of milliseconds');
  }
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError('limit must be a positive integer');
  }
}

/**
 * Creates an in-memory {@link RateLimitStore} with bounded memory.
 * @param options - see {@link MemoryRateLimitStoreOptions}
 * @throws AuthConfigError when `maxKeys` is not a positive integer
 * @example
 * ```ts
 * const limits = memoryRateLimitStore({ maxKeys: 10_000 });
 * const { count, resetAt } = await limits.hit(`login:${ip}`, 60_000, clock.now(), 5);
 * ```
 */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_RATE_LIMIT_KEYS;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new AuthConfigError('maxKeys', 'must be a positive integer');
  }
  // Keys a full store frees at once.
  const batch = Math.max(1, maxKeys >> 4);
  // Map order is the order keys were last hit: the first entry is the longest ago.
  const keys = new Map<string, Expiries>();
  // A lower bound of every key's last expiry: no sweep can free anything before it.
  let earliestEnd = Number.POSITIVE_INFINITY;

  function sweep(now: number): number {
    let removed = 0;
    earliestEnd = Number.POSITIVE_INFINITY;
    for (const [key, expiries] of keys) {
      const end = expiries[expiries.length - 1]!;
      if (end <= now) {
        keys.delete(key);
        removed++;
      } else if (end < earliestEnd) {
        earliestEnd = end;
      }
    }
    return removed;
  }

  /** Full: frees `batch` keys, ended windows first, then the keys hit longest ago. */
  function makeRoom(now: number): void {
    if (earliestEnd <= now) sweep(now);
    for (const oldest of keys.keys()) {
      if (keys.size <= maxKeys - batch) break;
      keys.delete(oldest);
    }
  }

  function store(key: string, expiries: Expiries, now: number): void {
    keys.delete(key);
    if (keys.size >= maxKeys) makeRoom(now);
    keys.set(key, expiries);
    earliestEnd = Math.min(earliestEnd, expiries[expiries.length - 1]!);
  }

  return {
    async hit(key, windowMs, now, limit) {
      checkArguments(windowMs, limit);
      let kept = withHit(live(keys.get(key), now), now + windowMs);
      if (kept.length > limit) kept = Object.freeze(kept.slice(kept.length - limit));
      store(key, kept, now);
      return windowOf(kept);
    },

    async take(key, windowMs, now, limit) {
      checkArguments(windowMs, limit);
      const kept = live(keys.get(key), now);
      if (kept.length >= limit) return { ...windowOf(kept), taken: false };
      const after = withHit(kept, now + windowMs);
      store(key, after, now);
      return { ...windowOf(after), taken: true };
    },

    async release(key, expiresAt) {
      const expiries = keys.get(key);
      const at = expiries?.indexOf(expiresAt) ?? -1;
      if (!expiries || at < 0) return;
      if (expiries.length === 1) return void keys.delete(key);
      const rest = Object.freeze(expiries.filter((_, i) => i !== at));
      // Same place in the order: a release is not a hit.
      keys.set(key, rest);
      earliestEnd = Math.min(earliestEnd, rest[rest.length - 1]!);
    },

    async peek(key, now) {
      const expiries = live(keys.get(key), now);
      return expiries.length > 0 ? windowOf(expiries) : null;
    },

    async reset(key) {
      keys.delete(key);
    },

    async prune(now) {
      return sweep(now);
    },
  };
}
