/** Building responses: JSON bodies, errors with their challenges, no-store caching. */
import { AuthError, isAuthError } from '../errors.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/*
 * Every header of a response is given to its constructor, never changed afterwards: a
 * runtime's `Response` may rebuild itself from its constructor's arguments and lose later
 * changes (`@hono/node-server`'s lightweight `Response` does, once its body is read).
 */

function headersOf(fields: Record<string, string>, setCookie: readonly string[]): HeadersInit {
  if (setCookie.length === 0) return fields;
  const headers = new Headers(fields);
  for (const cookie of setCookie) headers.append('set-cookie', cookie);
  return headers;
}

/**
 * A JSON response, by default with `Cache-Control: no-store` and `Pragma: no-cache`; a
 * `cache-control` in `headers` replaces both.
 * @param setCookie - `Set-Cookie` values, one header each
 */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  setCookie: readonly string[] = [],
): Response {
  const caching = 'cache-control' in headers ? {} : NO_STORE;
  const fields = {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    ...caching,
    ...headers,
  };
  return new Response(JSON.stringify(body), { status, headers: headersOf(fields, setCookie) });
}

/** An empty response with `Cache-Control: no-store`, and `Set-Cookie` values, one header each. */
export function empty(
  status: number,
  headers: Record<string, string> = {},
  setCookie: readonly string[] = [],
): Response {
  const fields = { 'x-content-type-options': 'nosniff', ...NO_STORE, ...headers };
  return new Response(null, { status, headers: headersOf(fields, setCookie) });
}

/** The headers of an error: its challenge, `Retry-After` and `Allow`. */
export function errorHeaders(error: AuthError, realm: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const challenge = error.challenge(realm);
  if (challenge) headers['www-authenticate'] = challenge;
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  if (error.allow !== undefined) headers.allow = error.allow;
  return headers;
}

/**
 * The response for any thrown value: an `AuthError` as its status, body and headers;
 * anything else as a bare 500 that reveals nothing.
 * @param realm - realm of a plain `Bearer` challenge
 * @param headers - more headers of the answer
 */
export function errorResponse(
  error: unknown,
  realm: string,
  headers: Record<string, string> = {},
): Response {
  const authError = isAuthError(error) ? error : new AuthError('internal_error', { cause: error });
  return json(authError.status, authError.toJSON(), {
    ...errorHeaders(authError, realm),
    ...headers,
  });
}

/** An error answer as plain parts, for adapters that write to a non-Fetch response. */
export interface ErrorParts {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * The status, headers and JSON body of the answer to any thrown value (see {@link errorResponse}).
 * @param realm - realm of a plain `Bearer` challenge
 */
export function errorParts(error: unknown, realm: string): ErrorParts {
  const authError = isAuthError(error) ? error : new AuthError('internal_error', { cause: error });
  return {
    status: authError.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      ...NO_STORE,
      ...errorHeaders(authError, realm),
    },
    body: JSON.stringify(authError.toJSON()),
  };
}
