/** Conversions between rows and records, and checks of the times the core passes. */

import type { RateLimitWindow, RefreshTokenRecord, SessionFamily, UserRecord } from '@auth/core';
import { argumentError } from './errors.js';
import type { Row } from './queryable.js';

/**
 * A `bigint` column as a number. node-postgres returns `int8` as a string and PGlite as a
 * number or a `bigint`; stored times are ms since the epoch, well inside the safe range.
 */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/**
 * Checks that `value` is a time or duration in whole milliseconds, as stored in `bigint`.
 * @throws RangeError naming `name` otherwise
 */
export function ms(value: number, name: string): number {
  if (!Number.isSafeInteger(value)) {
    throw argumentError(`${name} must be a whole number of milliseconds, got ${String(value)}`);
  }
  return value;
}

/** Columns of a user row, in the order of {@link toUser}. */
export const USER_COLUMNS =
  'id, username, username_key, password_hash, roles, disabled, created_at, updated_at';

/** A user row as a frozen {@link UserRecord}. */
export function toUser(row: Row): UserRecord {
  return Object.freeze({
    id: String(row.id),
    username: String(row.username),
    usernameKey: String(row.username_key),
    passwordHash: String(row.password_hash),
    roles: Object.freeze([...((row.roles as string[] | null) ?? [])]),
    disabled: row.disabled === true,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  });
}

/** Columns of a refresh-token row. */
export const TOKEN_COLUMNS = 'token_hash, family_id, user_id, created_at, expires_at, spent_at';

/** A refresh-token row as a frozen {@link RefreshTokenRecord}. */
export function toToken(row: Row): RefreshTokenRecord {
  return Object.freeze({
    tokenHash: String(row.token_hash),
    familyId: String(row.family_id),
    userId: String(row.user_id),
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
    spentAt: toNullableNumber(row.spent_at),
  });
}

/** Columns of a session-family row. */
export const FAMILY_COLUMNS = 'id, user_id, created_at, last_used_at, expires_at, revoked_at';

/** A session-family row as a frozen {@link SessionFamily}. */
export function toFamily(row: Row): SessionFamily {
  return Object.freeze({
    id: String(row.id),
    userId: String(row.user_id),
    createdAt: toNumber(row.created_at),
    lastUsedAt: toNumber(row.last_used_at),
    expiresAt: toNumber(row.expires_at),
    revokedAt: toNullableNumber(row.revoked_at),
  });
}

/** A rate-limit row as a frozen {@link RateLimitWindow}. */
export function toWindow(row: Row): RateLimitWindow {
  return Object.freeze({ count: toNumber(row.count), resetAt: toNumber(row.reset_at) });
}
