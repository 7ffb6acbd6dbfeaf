/** Writing Fetch `Response`s and core errors to a Node `ServerResponse`. */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { errorParts } from '@auth/core';

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

/**
 * Answers `error` the way the core does: an `AuthError` as its status, JSON body and
 * `WWW-Authenticate`/`Retry-After` headers; anything else as a bare 500 that reveals nothing.
 * When the response has already started, it is aborted instead (a status can no longer be sent).
 * @param realm - the realm of a plain `Bearer` challenge, usually `auth.realm`
 * @example
 * ```ts
 * try { await authenticate(auth, req) } catch (error) { return sendAuthError(res, error, auth.realm) }
 * ```
 */
export function sendAuthError(res: ServerResponse, error: unknown, realm: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, headers, body } = errorParts(error, realm);
  const length = Buffer.byteLength(body);
  res.writeHead(status, {
    ...headers,
    'content-length': length,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
