/** Turning the core's `AuthError`s into Hono answers; the statuses come from the core. */
import { type Auth, type AuthError, errorResponse, isAuthError } from '@auth/core';
import type { Env, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

type Status = ConstructorParameters<typeof HTTPException>[0];

/**
 * The `HTTPException` the middleware throws for an `AuthError`: its response is the core's
 * (`errorResponse(error, realm)`, challenge included) and its `cause` is the `AuthError`.
 * Hono's default error handler answers it as is. Anything else is returned unchanged.
 */
export function toHTTPException(error: unknown, realm: string): unknown {
  if (!isAuthError(error)) return error;
  return new HTTPException(error.status as Status, {
    res: errorResponse(error, realm),
    message: error.message,
    cause: error,
  });
}

/** The `AuthError` behind a thrown value: itself, or the `cause` of our `HTTPException`. */
export function authErrorOf(error: unknown): AuthError | undefined {
  if (isAuthError(error)) return error;
  if (error instanceof HTTPException && isAuthError(error.cause)) return error.cause;
  return undefined;
}

/**
 * An `app.onError` handler that answers every `AuthError` (thrown by your code or by the
 * middleware) with the core's response: its status, JSON body and `WWW-Authenticate`.
 * Other errors go to `fallback`; without one it acts like Hono's default handler: an
 * `HTTPException` answers with its own response, anything else is logged with
 * `console.error` and answered with the core's bare 500 (`internal_error`, no details).
 * @param auth - supplies the realm of the challenges
 * @param fallback - handles every error that is not an `AuthError` (log it here)
 * @example
 * ```ts
 * app.onError(onAuthError(auth, (error, c) => {
 *   console.error(error);
 *   return c.json({ error: 'internal_error', error_description: 'internal error' }, 500);
 * }));
 * ```
 */
export function onAuthError<E extends Env>(
  auth: Pick<Auth, 'realm'>,
  fallback?: ErrorHandler<E>,
): ErrorHandler<E> {
  return (error, c) => {
    const authError = authErrorOf(error);
    if (authError) return errorResponse(authError, auth.realm);
    if (fallback) return fallback(error, c);
    if (error instanceof HTTPException) return error.getResponse();
    console.error(error);
    return errorResponse(error, auth.realm);
  };
}
