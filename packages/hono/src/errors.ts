/** Turning the core's `AuthError`s into Hono answers; the statuses come from the core. */
import {
  type Auth,
  type AuthError,
  type ErrorFacts,
  type ErrorParts,
  errorParts,
  errorResponse,
  isAuthError,
} from '@auth/core';
import type { Context, Env, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

type Status = ConstructorParameters<typeof HTTPException>[0];

/** What the negotiated error answer reads of a request: `Accept`, method, path and query. */
export function errorFacts(c: Context): ErrorFacts {
  const url = new URL(c.req.url);
  return {
    accept: c.req.header('accept'),
    method: c.req.method,
    path: url.pathname + url.search,
    authorization: c.req.header('authorization'),
  };
}

/** A `Response` of the core's error parts, with `Set-Cookie` values to carry. */
function partsResponse(parts: ErrorParts, setCookie: readonly string[]): Response {
  const headers = new Headers(parts.headers);
  for (const cookie of setCookie) headers.append('set-cookie', cookie);
  return new Response(parts.body === '' ? null : parts.body, { status: parts.status, headers });
}

/** What the error answers need of the auth instance. */
type ErrorSource = Pick<Auth, 'realm'> & Partial<Pick<Auth, 'errorParts' | 'browserMode'>>;

/**
 * The core's answer to `error` for the request of `c`: `auth.errorParts` (JSON for API
 * clients; in browser mode a redirect to the login page or an HTML page for a browser).
 */
function answer(
  auth: ErrorSource,
  error: unknown,
  c: Context,
  setCookie: readonly string[] = [],
): Response {
  if (!auth.browserMode || !auth.errorParts) {
    return setCookie.length === 0
      ? errorResponse(error, auth.realm)
      : partsResponse(errorParts(error, auth.realm), setCookie);
  }
  return partsResponse(auth.errorParts(error, errorFacts(c)), setCookie);
}

/**
 * The `HTTPException` the middleware throws for an `AuthError`: its response is the core's
 * (`auth.errorParts(error, facts of c)`, challenge included, plus `setCookie`) and its
 * `cause` is the `AuthError`. Hono's default error handler answers it as is. Anything else
 * is returned unchanged.
 */
export function toHTTPException(
  error: unknown,
  auth: Auth,
  c: Context,
  setCookie: readonly string[] = [],
): unknown {
  if (!isAuthError(error)) return error;
  const res = answer(auth, error, c, setCookie);
  return new HTTPException(res.status as Status, { res, message: error.message, cause: error });
}

/** The `AuthError` behind a thrown value: itself, or the `cause` of our `HTTPException`. */
export function authErrorOf(error: unknown): AuthError | undefined {
  if (isAuthError(error)) return error;
  if (error instanceof HTTPException && isAuthError(error.cause)) return error.cause;
  return undefined;
}

/**
 * An `app.onError` handler that answers every `AuthError` (thrown by your code or by the
 * middleware) with the core's answer: for API clients its status, JSON body and
 * `WWW-Authenticate`; in browser mode, for a browser, a redirect to the login page (a `GET`
 * without a valid session) or an HTML error page. Other errors go to `fallback`; without
 * one it acts like Hono's default handler: an `HTTPException` answers with its own
 * response, anything else is logged with `console.error` and answered with the core's bare
 * 500 (`internal_error`, no details).
 * @param auth - the auth instance (its `errorParts` and realm)
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
  auth: ErrorSource,
  fallback?: ErrorHandler<E>,
): ErrorHandler<E> {
  return (error, c) => {
    // The middleware's own exception already holds the negotiated answer (and its cookies).
    if (error instanceof HTTPException && error.res && isAuthError(error.cause)) {
      return error.getResponse();
    }
    const authError = authErrorOf(error);
    if (authError) return answer(auth, authError, c);
    if (fallback) return fallback(error, c);
    if (error instanceof HTTPException) return error.getResponse();
    console.error(error);
    return answer(auth, error, c);
  };
}
