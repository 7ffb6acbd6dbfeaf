/**
 * A bounded cache of verified access tokens, keyed by the exact token string. A hit is only
 * returned while the token is unexpired by the clock; the oldest entry goes when it is full.
 */
import type { Principal } from './principal.js';

/** Bounded map from token string to its verified principal. */
export class VerifiedTokenCache {
  readonly #max: number;
  readonly #entries = new Map<string, Principal>();

  /** @param max - most entries kept (0 disables the cache) */
  constructor(max: number) {
    this.#max = max;
  }

  /** The cached principal of `token`, if it is still unexpired at `nowSeconds`. */
  get(token: string, nowSeconds: number, toleranceSeconds: number): Principal | undefined {
    const hit = this.#entries.get(token);
    if (hit === undefined) return undefined;
    if (hit.expiresAt <= nowSeconds - toleranceSeconds) {
      this.#entries.delete(token);
      return undefined;
    }
    return hit;
  }

  /** Remembers a verified token. */
  set(token: string, principal: Principal): void {
    if (this.#max === 0) return;
    if (this.#entries.size >= this.#max) {
      // Evict the oldest sixteenth in one walk: deleting one entry per insert makes every
      // `keys().next()` step over the tombstones of all earlier deletions.
      let evict = Math.max(1, this.#max >> 4);
      for (const key of this.#entries.keys()) {
        this.#entries.delete(key);
        if (--evict === 0) break;
      }
    }
    this.#entries.set(token, principal);
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.clear();
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }
}
