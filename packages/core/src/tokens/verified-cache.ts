/**
 * A bounded cache of verified access tokens. A hit is only returned for the exact token
 * string that was verified (or the exact `Bearer <token>` header carrying it), and only
 * while it is unexpired by the clock; the oldest entries go when it is full.
 *
 * Entries are found by a number mixed from the last characters of the token (its
 * signature): reading six characters costs a fraction of slicing and hashing a string key,
 * which a lookup of a fresh header string would do every time. The full header is then
 * compared, so the bucket never decides a hit (a token that only shares a cached token's
 * end is verified like any other; two tokens sharing a bucket only evict each other).
 */
import type { Principal } from './principal.js';

/** The scheme and space a cached token is found behind, as `authenticateSync` gets it. */
const PREFIX = 'Bearer ';

interface Entry {
  /** `Bearer <token>`, one flat string: comparing it to a received header stays in V8's fast path. */
  readonly header: string;
  readonly principal: Principal;
}

/**
 * The bucket of a token: its last six characters (all of a shorter one) mixed into a small
 * integer (30 bits, so the map keeps it unboxed). `from` is where the token starts in `s`:
 * a header's bucket is its token's.
 */
function bucket(s: string, from: number): number {
  let h = 0;
  for (let i = Math.max(from, s.length - 6); i < s.length; i++) {
    h = (Math.imul(h, 0x9e3779b1) + s.charCodeAt(i)) | 0;
  }
  return h & 0x3fffffff;
}

/** Bounded map from token string to its verified principal. */
export class VerifiedTokenCache {
  readonly #max: number;
  readonly #entries = new Map<number, Entry>();

  /** @param max - most entries kept (0 disables the cache) */
  constructor(max: number) {
    this.#max = max;
  }

  /** The cached principal of `token`, if it is still unexpired at `nowSeconds`. */
  get(token: string, nowSeconds: number, toleranceSeconds: number): Principal | undefined {
    const key = bucket(token, 0);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const header = entry.header;
    if (header.length !== token.length + PREFIX.length || !header.endsWith(token)) {
      return undefined;
    }
    return this.#fresh(key, entry, nowSeconds, toleranceSeconds);
  }

  /**
   * The cached principal of the token an `Authorization` header carries, if the header is
   * exactly `Bearer <token>` and the token is still unexpired at `nowSeconds`. Any other
   * spelling of the header is a miss (the caller parses it and asks {@link get}).
   */
  getByHeader(
    authorization: string,
    nowSeconds: number,
    toleranceSeconds: number,
  ): Principal | undefined {
    const key = bucket(authorization, PREFIX.length);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.header !== authorization) return undefined;
    return this.#fresh(key, entry, nowSeconds, toleranceSeconds);
  }

  #fresh(key: number, entry: Entry, nowSeconds: number, toleranceSeconds: number) {
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
    // `join` builds one flat string (`+` would make a two-part one, compared the slow way).
    const header = [PREFIX, token].join('');
    this.#entries.set(bucket(token, 0), { header, principal });
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
