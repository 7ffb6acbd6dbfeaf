/**
 * {@link memoryStorage}: every store the core needs, held in this process's memory. For
 * tests, demos and single-process apps; state is lost on restart and not shared.
 */

import { AuthConfigError } from '../errors.js';
import { memoryRateLimitStore } from './memory-rate-limits.js';
import { memorySessionStore } from './memory-sessions.js';
import { memoryUserStore } from './memory-users.js';
import type { AuthStorage } from './types.js';

/** Options of {@link memoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * Most rate-limit windows (keys) kept at once, a positive integer. When a new key would
   * pass it, a sixteenth of it is freed at once: ended windows first, then the oldest.
   * Default 100 000.
   */
  maxRateLimitKeys?: number;
}

/**
 * Creates an {@link AuthStorage} held in memory. Every operation checks and writes
 * synchronously, so it is atomic under concurrent calls, and records are frozen, so
 * callers cannot change stored state. Sessions stay until `sessions.prune(now)`
 * removes expired ones; call it periodically in long-running processes.
 * @param options - see {@link MemoryStorageOptions}
 * @throws AuthConfigError when `maxRateLimitKeys` is not a positive integer
 * @example
 * ```ts
 * const storage = memoryStorage({ maxRateLimitKeys: 10_000 });
 * const auth = createAuth({ storage, … });
 * setInterval(() => storage.sessions.prune(clock.now()), 60_000);
 * ```
 */
export function memoryStorage(options: MemoryStorageOptions = {}): AuthStorage {
  const { maxRateLimitKeys } = options;
  if (
    maxRateLimitKeys !== undefined &&
    (!Number.isSafeInteger(maxRateLimitKeys) || maxRateLimitKeys < 1)
  ) {
    throw new AuthConfigError('maxRateLimitKeys', 'must be a positive integer');
  }
  const sessions = memorySessionStore();
  const users = memoryUserStore({ onDelete: (userId) => sessions.deleteUserSessions(userId) });
  const rateLimits = memoryRateLimitStore({ maxKeys: maxRateLimitKeys });
  return Object.freeze({
    users,
    sessions,
    rateLimits,
    prune: async (now: number) => (await sessions.prune(now)) + (await rateLimits.prune(now)),
    close: async () => {},
  });
}
