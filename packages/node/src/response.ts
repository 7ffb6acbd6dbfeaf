/** Writing Fetch `Response`s and core errors to a Node `ServerResponse`. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type Auth, errorParts } from '@auth/core';

/**
 * Writes `response` to `res`: status, headers (each `Set-Cookie` as its own header line) and
 * body. The core's answers are small, so the body is sent whole, with a `Content-Length`.
 * @param extra - headers set on top of the response's own
 */
export async function writeResponse(
  res: ServerResponse,
  response: Response,
  extra: OutgoingHttpHeaders = {},
): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
  if (body) headers['content-length'] = body.byteLength;
  res.writeHead(response.status, { ...headers, ...extra }).end(body);
}

/** What {@link sendAuthError} reads of the request to negotiate its answer. */
export type ErrorRequest = Pick<IncomingMessage, 'headers' | 'method' | 'url'>;

/**
 * Answers `error` the way the core does. Given the auth instance, with `auth.errorParts`:
 * an API client gets the JSON error (an `AuthError` as its status, body and
 * `WWW-Authenticate`/`Retry-After` headers; anything else as a bare 500 that reveals
 * nothing); in browser mode, with `req`, a browser (`Accept` prefers HTML) that is not
 * signed in and `GET`s a page is sent to the login page (`303`, `next` = `req.url`) and its
 * other errors are HTML pages. Given a realm string (the older form), always the JSON error.
 * When the response has already started, it is aborted instead (a status can no longer be sent).
 * @param auth - the auth instance, or the realm of a plain `Bearer` challenge
 * @param req - the request, so that a browser gets a page or a redirect
 * @example
 * ```ts
 * try { await authenticate(auth, req, res) } catch (error) { return sendAuthError(res, error, auth, req) }
 * ```
 */
export function sendAuthError(
  res: ServerResponse,
  error: unknown,
  auth: Pick<Auth, 'errorParts' | 'browserMode' | 'realm'> | string,
  req?: ErrorRequest,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, headers, body } =
    typeof auth === 'string'
      ? errorParts(error, auth)
      : auth.browserMode && req
        ? auth.errorParts(error, {
            accept: req.headers.accept,
            method: req.method,
            path: req.url,
            authorization: req.headers.authorization,
          })
        : errorParts(error, auth.realm);
  const length = Buffer.byteLength(body);
  res.writeHead(status, {
    ...headers,
    'content-length': length,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
