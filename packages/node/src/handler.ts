/** `createAuthHandler`: serves the core's auth routes from a `node:http` server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Auth, AuthError } from '@auth/core';
import { requestUrl, toFetchRequest } from './request.js';
import { sendAuthError, writeResponse } from './response.js';

/** Options of {@link createAuthHandler}. */
export interface NodeAuthOptions {
  /**
   * The client address logins are rate-limited by. Default: the socket's remote address.
   * Read a forwarded header here only when the server sits behind a proxy you trust.
   */
  clientAddress?: (req: IncomingMessage) => string | undefined;
}

/** Serves the request when it is an auth route; resolves `true` if it did, `false` if not. */
export type NodeAuthHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Creates the handler of the auth routes (`/auth/*` and the JWKS route). Requests on other
 * paths are left untouched for the rest of the application.
 * @example
 * ```ts
 * const authRoutes = createAuthHandler(auth);
 * createServer(async (req, res) => {
 *   if (await authRoutes(req, res)) return;
 *   // …the application's own routes
 * });
 * ```
 */
export function createAuthHandler(auth: Auth, options: NodeAuthOptions = {}): NodeAuthHandler {
  const clientAddress = options.clientAddress ?? ((req) => req.socket.remoteAddress);
  return async (req, res) => {
    const url = requestUrl(req);
    if (!url || !auth.handles(url.pathname)) return false;
    let request: Request;
    try {
      request = toFetchRequest(req, url);
    } catch (cause) {
      const error = new AuthError('invalid_request', { description: 'unreadable request', cause });
      sendAuthError(res, error, auth.realm);
      return true;
    }
    const response = await auth.handler(request, { clientAddress: clientAddress(req) });
    // A body the core stopped reading (too large, wrong type) stays unread: close the
    // connection after the answer, so the socket is freed and nothing more is buffered.
    await writeResponse(res, response, req.complete ? {} : { connection: 'close' });
    return true;
  };
}
