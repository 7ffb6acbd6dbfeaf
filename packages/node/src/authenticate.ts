/** The hot path of a protected route: the `Authorization` header in, a principal out. */
import type { IncomingMessage } from 'node:http';
import type { Auth, Principal } from '@auth/core';

/**
 * Verifies the request's bearer token. Reads only the `Authorization` header: no `Request`
 * is built, no body read, no storage touched.
 * @returns the verified principal (user id, roles, session id)
 * @throws AuthError `unauthorized` (no credentials), `invalid_token`, `token_expired`
 * @example
 * ```ts
 * const principal = await authenticate(auth, req);
 * auth.authorize(principal, { role: 'admin' });
 * ```
 */
export function authenticate(
  auth: Auth,
  req: Pick<IncomingMessage, 'headers'>,
): Promise<Principal> {
  return auth.authenticate(req.headers.authorization);
}
