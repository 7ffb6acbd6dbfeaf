/**
 * Shared fixtures of the storage contract cases: fixed timestamps, unique records, and
 * helpers to try to change returned records. Internal to `@auth/core/testing`.
 */

import { AuthError } from '../errors.js';
import type { AuthStorage, NewRefreshToken, UserRecord } from '../storage/types.js';

/** One case of the contract: runs against a store, throws (via `expect`) when it fails. */
export type ContractCase = (storage: AuthStorage) => Promise<void>;

/** The base time of every case, ms since the epoch (2026-01-01T00:00:00Z). */
export const T0 = 1_767_225_600_000;
/** One minute in ms. */
export const MINUTE = 60_000;
/** One hour in ms. */
export const HOUR = 3_600_000;
/** One day in ms. */
export const DAY = 86_400_000;

/** A user record whose fields, roles included, a case may change. */
export type UserFixture = {
  -readonly [K in Exclude<keyof UserRecord, 'roles'>]: UserRecord[K];
} & { roles: string[] };

/** A fresh unique id (Web Crypto UUID), so cases never collide in a reused store. */
export function uid(): string {
  return crypto.randomUUID();
}

/**
 * A new, unique user record (not stored).
 * @param now - its `createdAt` and `updatedAt` (default {@link T0})
 */
export function newUser(now: number = T0): UserFixture {
  const id = uid();
  return {
    id,
    username: `User-${id}`,
    usernameKey: `user-${id}`,
    passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${id}`,
    roles: ['user'],
    disabled: false,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A new refresh token with a unique, realistic hash (43 characters of base64url).
 * @param expiresAt - its expiry, ms (default {@link T0} + one day)
 */
export function newToken(expiresAt: number = T0 + DAY): NewRefreshToken {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  const tokenHash = base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return { tokenHash, expiresAt };
}

/** What {@link newFamily} stored. */
export interface FamilyFixture {
  readonly userId: string;
  readonly familyId: string;
  readonly tokenHash: string;
}

/**
 * Stores a family with one token, for `userId` or for a new stored user.
 * @param storage - the store under test
 * @param options - `userId` (default: a new user), `createdAt` (default {@link T0}),
 *   `expiresAt` of the first token (default {@link T0} + one day)
 */
export async function newFamily(
  storage: AuthStorage,
  options: { userId?: string; createdAt?: number; expiresAt?: number } = {},
): Promise<FamilyFixture> {
  const userId = options.userId ?? (await storage.users.createUser(newUser())).id;
  const familyId = uid();
  const first = newToken(options.expiresAt ?? T0 + DAY);
  await storage.sessions.createFamily(
    { id: familyId, userId, createdAt: options.createdAt ?? T0 },
    first,
  );
  return { userId, familyId, tokenHash: first.tokenHash };
}

/** True when `error` is the `username_taken` {@link AuthError}. */
export function isUsernameTaken(error: unknown): boolean {
  return error instanceof AuthError && error.code === 'username_taken';
}

/**
 * Tries to change every field of `value`, nested objects and arrays included, without
 * throwing when they are frozen. A store passes when its state is the same afterwards.
 */
export function scribble(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const key of Reflect.ownKeys(value)) {
    const current: unknown = Reflect.get(value, key);
    if (typeof current === 'object' && current !== null) scribble(current);
    else Reflect.set(value, key, typeof current === 'number' ? current + 1 : 'scribbled');
  }
  if (Array.isArray(value)) Reflect.set(value, value.length, 'scribbled');
}
