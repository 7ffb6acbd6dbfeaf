/**
 * Turns driver errors into {@link AuthError}s. A duplicate username key is
 * `username_taken`; a conflict the core should never cause (a duplicate id or token hash,
 * a family for an unknown user) is `internal_error`; anything else — connection refused or
 * lost, a server shutting down, a timeout, a missing table — is `storage_unavailable`.
 * Descriptions are fixed strings: no SQL, parameter, connection string or secret reaches
 * them. The cause kept for logs is a copy of the driver error without its query,
 * parameters or detail (which can hold stored values).
 */

import { AuthError } from '@auth/core';

/** The fields of a node-postgres or PGlite error this module reads. */
interface DriverError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

/**
 * node-postgres's timeouts come without a code; a log line that shows only the code could not
 * tell them from an unknown failure. These are their codes here.
 */
const TIMEOUT_CODES: Readonly<Record<string, string>> = {
  'timeout exceeded when trying to connect': 'POOL_TIMEOUT',
  'Connection terminated due to connection timeout': 'CONNECT_TIMEOUT',
  'Query read timeout': 'QUERY_TIMEOUT',
};

/** A driver error reduced to what is safe to log: its code and message. */
export class StorageFailure extends Error {
  /**
   * SQLSTATE (e.g. `57P01`), Node error code (e.g. `ECONNREFUSED`) or one of the driver's
   * timeouts (`POOL_TIMEOUT`, `CONNECT_TIMEOUT`, `QUERY_TIMEOUT`), when known.
   */
  readonly code: string | undefined;

  constructor(error: unknown) {
    const { code, message } = (
      typeof error === 'object' && error !== null ? error : {}
    ) as DriverError;
    super(typeof message === 'string' && message !== '' ? message : 'database error');
    this.name = 'StorageFailure';
    this.code =
      typeof code === 'string'
        ? code
        : typeof message === 'string' && Object.hasOwn(TIMEOUT_CODES, message)
          ? TIMEOUT_CODES[message]
          : undefined;
  }
}

/**
 * The {@link AuthError} for `error` thrown by a query. An `AuthError` passes unchanged.
 * @param error - what the driver threw
 * @param usernameConstraint - the name of the unique constraint on `username_key`
 */
export function toAuthError(error: unknown, usernameConstraint: string): AuthError {
  if (error instanceof AuthError) return error;
  const { code, constraint } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as DriverError;
  const cause = new StorageFailure(error);
  if (code === '23505' && constraint === usernameConstraint) {
    return new AuthError('username_taken', { cause });
  }
  if (typeof code === 'string' && code.startsWith('23')) {
    return new AuthError('internal_error', {
      description: 'the record conflicts with a stored one',
      cause,
    });
  }
  return new AuthError('storage_unavailable', { cause });
}

const argumentErrors = new WeakSet<Error>();

/**
 * A `RangeError` for a bad argument (a time that is not integer milliseconds, a window
 * that is not positive). It is a caller's bug, not a database failure, so
 * {@link mapErrors} lets it through unchanged.
 */
export function argumentError(message: string): RangeError {
  const error = new RangeError(message);
  argumentErrors.add(error);
  return error;
}

/** SQLSTATEs after which the whole operation was rolled back and may simply run again. */
const TRANSIENT = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
/** Attempts of one operation that keeps hitting a transient conflict. */
const ATTEMPTS = 3;

/**
 * Wraps every method of `target` so that what it throws is mapped by {@link toAuthError};
 * only errors made by {@link argumentError} pass unchanged. Every method is one statement
 * or one transaction, so one that the server aborted for a deadlock or a serialization
 * failure had no effect and is run again (up to 3 attempts, after a short random pause).
 */
export function mapErrors<T extends object>(target: T, usernameConstraint: string): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    wrapped[name] = async (...args: unknown[]) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await value.apply(target, args);
        } catch (error) {
          if (error instanceof RangeError && argumentErrors.has(error)) throw error;
          if (attempt < ATTEMPTS && TRANSIENT.has(sqlState(error))) {
            await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
            continue;
          }
          throw toAuthError(error, usernameConstraint);
        }
      }
    };
  }
  return Object.freeze(wrapped) as T;
}

function sqlState(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : '';
}
