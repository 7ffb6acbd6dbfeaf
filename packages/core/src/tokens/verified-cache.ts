/**
 * A bounded cache of verified access tokens. A hit is only returned for the exact token
 * string that was verified, and only while it is unexpired by the clock; the oldest entries
 * go when it is full.
 *
 * Entries are found by the last characters of the token (its signature): hashing those is
 * a fraction of hashing the whole token, which a lookup of a fresh header string would do
 * every time. The full token is then compared, so the bucket never decides a hit (and a
 * token that only shares a cached token's end is verified like any other).
 */
import type { Principal } from './principal.js';

/** Characters of the token's end that find its entry: 22 base64url characters, 132 bits. */
const KEY_LENGTH = 22;

interface Entry {
  readonly token: string;
  readonly principal: Principal;
}

/** Bounded map from token string to its verified principal. */
export class VerifiedTokenCache {
  readonly #max: number;
  readonly #entries = new Map<string, Entry>();

  /** @param max - most entries kept (0 disables the cache) */
  constructor(max: number) {
    this.#max = max;
  }

  /** The cached principal of `token`, if it is still unexpired at `nowSeconds`. */
  get(token: string, nowSeconds: number, toleranceSeconds: number): Principal | undefined {
    const key = token.slice(-KEY_LENGTH);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.token !== token) return undefined;
    if (entry.principal.expiresAt <= nowSeconds - toleranceSeconds) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.principal;
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
    this.#entries.set(token.slice(-KEY_LENGTH), { token, principal });
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
