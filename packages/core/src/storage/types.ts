/**
 * The storage interfaces. Storage is the only state of the core; every operation that must
 * be atomic is a single call here, so a database can make it one statement or transaction.
 */

/** A stored user. */
export interface UserRecord {
  /** Stable opaque id (the JWT `sub`). */
  readonly id: string;
  /** The username as registered (trimmed, NFKC-normalised, case kept). */
  readonly username: string;
  /** Canonical key for lookups and uniqueness (trimmed, NFKC, case-folded). */
  readonly usernameKey: string;
  /** PHC string of the password. */
  readonly passwordHash: string;
  /** Role names. */
  readonly roles: readonly string[];
  /** A disabled user cannot log in, refresh, or read `/me`. */
  readonly disabled: boolean;
  /** Creation time, ms since the epoch. */
  readonly createdAt: number;
  /** Last update time, ms since the epoch. */
  readonly updatedAt: number;
}

/** Fields that may change on a user. */
export interface UserPatch {
  passwordHash?: string;
  roles?: readonly string[];
  disabled?: boolean;
}

/** Stores users. */
export interface UserStore {
  /**
   * Creates a user. Must be atomic on `usernameKey`.
   * @throws AuthError `username_taken` when the key exists.
   */
  createUser(user: UserRecord): Promise<UserRecord>;
  /** Finds a user by canonical username key. */
  findUserByUsername(usernameKey: string): Promise<UserRecord | null>;
  /** Finds a user by id. */
  findUserById(id: string): Promise<UserRecord | null>;
  /** Applies `patch`; resolves the updated user, or `null` when it does not exist. */
  updateUser(id: string, patch: UserPatch, now: number): Promise<UserRecord | null>;
  /** Deletes a user and every session of theirs; resolves whether it existed. */
  deleteUser(id: string): Promise<boolean>;
}

/** A refresh token, as stored: only its hash. */
export interface RefreshTokenRecord {
  /** SHA-256 of the token, base64url. */
  readonly tokenHash: string;
  /** The family (one login) the token belongs to. */
  readonly familyId: string;
  /** Owner of the family. */
  readonly userId: string;
  /** Issue time, ms. */
  readonly createdAt: number;
  /** Expiry, ms. */
  readonly expiresAt: number;
  /**
   * When it was spent, or `null` while live: rotated (then `spentAt` < `expiresAt`), or
   * superseded by a retry of its parent (then `spentAt` = `expiresAt`).
   */
  readonly spentAt: number | null;
}

/** A refresh-token family: every token descended from one login. */
export interface SessionFamily {
  /** Family id (the access token's `sid`). */
  readonly id: string;
  /** Owner. */
  readonly userId: string;
  /** Login time, ms. */
  readonly createdAt: number;
  /** Time of the last rotation, ms. */
  readonly lastUsedAt: number;
  /** Expiry of its newest token, ms. */
  readonly expiresAt: number;
  /** When it was revoked, or `null`. */
  readonly revokedAt: number | null;
}

/** A new refresh token to store. */
export interface NewRefreshToken {
  readonly tokenHash: string;
  readonly expiresAt: number;
}

/** Result of {@link SessionStore.spendToken}. */
export type SpendResult =
  /** The token was live and is now spent; `next` is stored in the same family. */
  | { readonly status: 'rotated'; readonly token: RefreshTokenRecord }
  /** No such token. */
  | { readonly status: 'not_found' }
  /** The token exists but cannot be spent; `token` shows why (spent, expired, revoked family). */
  | {
      readonly status: 'spent' | 'expired' | 'revoked';
      readonly token: RefreshTokenRecord;
    };

/** Stores refresh-token families. */
export interface SessionStore {
  /** Creates a family with its first token (one login). */
  createFamily(
    family: { id: string; userId: string; createdAt: number },
    first: NewRefreshToken,
  ): Promise<void>;
  /**
   * Atomically spends the live token `tokenHash` and stores `next` in its family.
   * Of any number of concurrent calls for one token, exactly one resolves `rotated`.
   * A token whose family is revoked resolves `revoked`; an expired one `expired`; an
   * already spent one `spent` — none of these change anything.
   */
  spendToken(tokenHash: string, next: NewRefreshToken, now: number): Promise<SpendResult>;
  /**
   * A benign retry of the spent token `tokenHash` within the reuse grace window. Atomically,
   * when its family is live and it is the family's most recently rotated token (no token
   * of the family issued at or after its `spentAt` has been rotated: its successor is unused),
   * supersedes every live token of the family and stores `next` as the only live one. A
   * superseded token is stored with `spentAt` and `expiresAt` both `now`, so it reads as
   * `expired` from then on: it can neither be spent nor retried, and a burst of retries
   * leaves one live descendant. Resolves `false`, changing nothing, for a live, superseded
   * or unknown token, a token whose successor was already rotated, or a revoked family.
   */
  retryToken(tokenHash: string, next: NewRefreshToken, now: number): Promise<boolean>;
  /** Finds a token by hash. */
  findToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** Finds a family by id. */
  findFamily(familyId: string): Promise<SessionFamily | null>;
  /** Revokes a family; resolves whether a live family was revoked. */
  revokeFamily(familyId: string, now: number): Promise<boolean>;
  /** Revokes every family of a user; resolves how many were revoked. */
  revokeUserFamilies(userId: string, now: number): Promise<number>;
  /** Lists a user's live (not revoked, not expired) families. */
  listFamilies(userId: string, now: number): Promise<SessionFamily[]>;
  /** Deletes expired tokens and expired families (revoked ones too, once expired); resolves how many rows went. */
  prune(now: number): Promise<number>;
}

/** The hits of a key within a sliding window, as a rate limit reads them. */
export interface RateLimitWindow {
  /** Hits within the window (each counts for `windowMs` after it), at most the hit's `limit`. */
  readonly count: number;
  /** When the oldest of those hits leaves the window, ms: then `count` drops by one. */
  readonly resetAt: number;
}

/** What {@link RateLimitStore.take} resolves: whether the hit was recorded, and the window. */
export interface RateLimitTake extends RateLimitWindow {
  /** `false` when `limit` hits already counted: nothing was recorded. */
  readonly taken: boolean;
}

/**
 * Counts failed attempts per key in a sliding window: a hit counts for `windowMs` after it
 * was made, so no burst across a window's edge gets past a limit. A key keeps at most
 * `limit` hits (the newest): enough to tell when the limit stops holding.
 */
export interface RateLimitStore {
  /**
   * Atomically records a hit at `now` that counts until `now + windowMs`, forgets the hits
   * that no longer count and all but the newest `limit`; resolves the window after the hit.
   */
  hit(key: string, windowMs: number, now: number, limit: number): Promise<RateLimitWindow>;
  /**
   * Atomically records a hit at `now` that counts until `now + windowMs`, but only while
   * fewer than `limit` hits of `key` count at `now`: of any number of concurrent calls, on
   * any number of processes sharing the store, no more than the free places are taken.
   * Resolves whether it was taken and the window after the call (unchanged when refused).
   */
  take(key: string, windowMs: number, now: number, limit: number): Promise<RateLimitTake>;
  /**
   * Removes one hit of `key` that counts until `expiresAt` (one that `take` or `hit` made
   * at `expiresAt - windowMs`), if there is one: an attempt that turned out not to count.
   */
  release(key: string, expiresAt: number): Promise<void>;
  /** The hits of `key` that still count at `now`, or `null` when none do. */
  peek(key: string, now: number): Promise<RateLimitWindow | null>;
  /** Forgets `key`. */
  reset(key: string): Promise<void>;
  /** Deletes the keys none of whose hits count at `now`; resolves how many went. */
  prune(now: number): Promise<number>;
}

/** Everything the core stores. */
export interface AuthStorage {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly rateLimits: RateLimitStore;
  /** Deletes expired sessions and rate-limit keys of every store; resolves how many rows went. */
  prune?(now: number): Promise<number>;
  /** Releases connections, files and timers. */
  close?(): Promise<void>;
}
