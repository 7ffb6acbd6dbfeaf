/** Building responses: JSON bodies, errors with their challenges, no-store caching. */
import { AuthError, isAuthError } from '../errors.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/** A JSON response with `Cache-Control: no-store`. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      ...NO_STORE,
      ...headers,
    },
  });
}

/** An empty response with `Cache-Control: no-store`. */
export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, {
    status,
    headers: { 'x-content-type-options': 'nosniff', ...NO_STORE, ...headers },
  });
}

/** The headers of an error: its challenge and `Retry-After`. */
export function errorHeaders(error: AuthError, realm: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const challenge = error.challenge(realm);
  if (challenge) headers['www-authenticate'] = challenge;
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  return headers;
}

/**
 * The response for any thrown value: an `AuthError` as its status, body and headers;
 * anything else as a bare 500 that reveals nothing.
 */
export function errorResponse(error: unknown, realm: string): Response {
  const authError = isAuthError(error) ? error : new AuthError('internal_error', { cause: error });
  return json(authError.status, authError.toJSON(), errorHeaders(authError, realm));
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
