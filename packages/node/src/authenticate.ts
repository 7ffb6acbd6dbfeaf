/** The hot path of a protected route: the `Authorization` header in, a principal out. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Auth, authorizationHeader, isBearerScheme, type Principal } from '@auth/core';

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /**
   * The CSRF token of a cookie-authenticated state-changing request when it does not come
   * in the `X-CSRF-Token` header: the `csrf_token` field of a form body the app parsed.
   */
  csrfToken?: string | undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Authenticates a request to one of the app's own routes.
 *
 * With an `Authorization` header (or with browser mode off, or without `res`) only the
 * bearer token counts: reads only that header, no `Request` is built, no body read, no
 * storage touched. In browser mode, a request without one is authenticated by its session
 * cookies (`auth.authenticateRequest`): a state-changing request must come from this origin
 * and carry the CSRF token (`X-CSRF-Token`, or `options.csrfToken`), and an expired access
 * cookie is renewed through the refresh cookie. The renewed cookies are appended to `res`
 * (`res.appendHeader('set-cookie', …)`, one header each, and `Cache-Control: no-store`),
 * which is why cookies are read only when `res` is given: a refresh spends the old refresh
 * cookie, so its successor must reach the browser.
 * @returns the verified principal (user id, roles, session id)
 * @throws AuthError `unauthorized` (no credentials), `invalid_token`, `token_expired`,
 *   `forbidden` (a cross-site cookie request, or one without the CSRF token)
 * @example
 * ```ts
 * const principal = await authenticate(auth, req, res);
 * auth.authorize(principal, { role: 'admin' });
 * ```
 */
export function authenticate(
  auth: Auth,
  req: Pick<IncomingMessage, 'headers'> & Partial<Pick<IncomingMessage, 'method' | 'rawHeaders'>>,
  res?: Pick<ServerResponse, 'appendHeader'>,
  options: AuthenticateOptions = {},
): Promise<Principal> {
  const { headers } = req;
  const authorization = authorizationHeader(req);
  if (!auth.browserMode || !res || isBearerScheme(authorization)) {
    // A cached or synchronously verified token settles at once, without verifying again.
    try {
      const principal = auth.authenticateSync(authorization);
      if (principal) return Promise.resolve(principal);
    } catch (error) {
      return Promise.reject(error);
    }
    return auth.authenticate(authorization);
  }
  return auth
    .authenticateRequest({
      // Without a method, assume a state change: the CSRF checks apply.
      method: req.method ?? 'POST',
      authorization,
      cookie: headers.cookie,
      origin: headers.origin,
      secFetchSite: header(headers['sec-fetch-site']),
      host: headers.host,
      csrfToken: header(headers['x-csrf-token']) ?? options.csrfToken,
    })
    .then((result) => {
      for (const [name, value] of result.headers) res.appendHeader(name, value);
      return result.principal;
    });
}
