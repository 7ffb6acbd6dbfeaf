/**
 * The answer for requests `@hono/node-server` can't hand to the app: JSON like every other
 * error of the core, where its default is an empty `text/plain` 400 or 500.
 */
import { type Auth, AuthError, isAuthError } from '@auth/core';

/** Raised by `@hono/node-server` when a request can't become a `Request` (by its name). */
function isRequestError(error: unknown): boolean {
  return error instanceof Error && error.name === 'RequestError';
}

/**
 * An `errorHandler` for `@hono/node-server`'s `getRequestListener`. A request it can't turn
 * into a `Request` (a malformed `Host` header, a backslash in the path, an invalid absolute
 * target) gets the core's JSON `400 invalid_request`; an `AuthError` its own answer; anything
 * else is logged with `console.error` and answered with the core's bare 500
 * (`internal_error`, no details). Without it those answers are empty `text/plain`.
 * (`serve()` takes no `errorHandler`: build the server with `getRequestListener`.)
 * @param auth - the auth instance (its `errorParts`)
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { getRequestListener } from '@hono/node-server';
 *
 * const listener = getRequestListener(app.fetch, { errorHandler: requestErrorHandler(auth) });
 * createServer(listener).listen(3000);
 * ```
 */
export function requestErrorHandler(auth: Pick<Auth, 'errorParts'>): (error: unknown) => Response {
  const malformed = new AuthError('invalid_request', {
    description: "the request's target or Host header is malformed",
  });
  return (error) => {
    if (isRequestError(error)) error = malformed;
    else if (!isAuthError(error)) console.error(error);
    const { status, headers, body } = auth.errorParts(error);
    return new Response(body, { status, headers });
  };
}
