/**
 * Answers for browsers: error pages, and the negotiated error answer adapters send from the
 * app's own protected routes (a redirect to the login page, an HTML page, or the JSON body).
 */
import { isAuthError } from '../../errors.js';
import { type ErrorParts, errorHeaders, errorParts } from '../respond.js';
import { htmlResponse, layout, PAGE_HEADERS } from './html.js';
import { wantsPage } from './negotiate.js';
import { errorText, messagePage } from './pages.js';
import { loginLocation } from './return-path.js';
import type { RequestFacts } from './session.js';

/** What the page renderer needs to know about the instance. */
export interface PageSettings {
  readonly appName: string;
  readonly stylesheet: string;
  readonly loginPath: string;
  readonly homePath: string;
  readonly realm: string;
}

/** The plain facts of a `Request`, for the session. */
export function requestFacts(request: Request, csrfToken?: string | undefined): RequestFacts {
  const h = request.headers;
  return {
    method: request.method,
    authorization: h.get('authorization'),
    cookie: h.get('cookie'),
    origin: h.get('origin'),
    secFetchSite: h.get('sec-fetch-site'),
    host: new URL(request.url).host,
    csrfToken: csrfToken ?? h.get('x-csrf-token'),
  };
}

/**
 * `Vary` of every answer chosen by negotiation (RFC 9110 §12.5.5): the `Accept` picks page or
 * JSON, and the session cookies whether the request is signed in at all.
 */
export const NEGOTIATED = 'Accept, Cookie';

const SIGN_IN_CODES = new Set(['unauthorized', 'invalid_token', 'token_expired', 'invalid_grant']);

function errorPage(error: unknown, s: PageSettings): { status: number; html: string } {
  const text = errorText(error);
  const link = SIGN_IN_CODES.has(isAuthError(error) ? error.code : '')
    ? { href: s.loginPath, text: 'Sign in' }
    : { href: s.homePath, text: 'Go to the home page' };
  return {
    status: text.status,
    html: layout(messagePage(text.title, text.message, link), s.appName, s.stylesheet),
  };
}

/** An HTML error page for any thrown value, with the error's challenge and `Retry-After`. */
export function errorPageResponse(error: unknown, s: PageSettings): Response {
  const { status, html } = errorPage(error, s);
  return htmlResponse(status, html, [], isAuthError(error) ? errorHeaders(error, s.realm) : {});
}

/** What `auth.errorParts` reads of a request to negotiate its error answer. */
export interface ErrorFacts {
  /** The `Accept` header. */
  accept?: string | null | undefined;
  /** The method. Default `GET`. */
  method?: string | undefined;
  /** The path (and query) asked for: the login page's return path. */
  path?: string | null | undefined;
  /**
   * The `Authorization` header. A request with a bearer one is an API client's whatever its
   * `Accept` (RFC 6750: a `401`/`403` with the challenge, never a redirect or a page).
   */
  authorization?: string | null | undefined;
}

/**
 * The answer to an error on the app's own route. An API client (and any request with a bearer
 * `Authorization` header) gets the JSON error of `errorParts`. A browser (`Accept` prefers
 * HTML) that is not signed in and asked to `GET` a page is sent to the login page with `next`
 * = the path (`303`); any other error is an HTML page with the error's status. In browser
 * mode every one of them carries `Vary: Accept, Cookie`, since either header could have
 * changed it.
 */
export function negotiatedErrorParts(
  error: unknown,
  facts: ErrorFacts,
  s: PageSettings | undefined,
): ErrorParts {
  if (!s) return errorParts(error, 'auth');
  if (!wantsPage(facts.accept, facts.authorization)) {
    const parts = errorParts(error, s.realm);
    return { ...parts, headers: { ...parts.headers, vary: NEGOTIATED } };
  }
  const method = (facts.method ?? 'GET').toUpperCase();
  if (
    isAuthError(error) &&
    SIGN_IN_CODES.has(error.code) &&
    (method === 'GET' || method === 'HEAD')
  ) {
    return {
      status: 303,
      headers: {
        location: loginLocation(s.loginPath, facts.path),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        vary: NEGOTIATED,
      },
      body: '',
    };
  }
  const { status, html } = errorPage(error, s);
  return {
    status,
    headers: {
      ...PAGE_HEADERS,
      vary: NEGOTIATED,
      ...(isAuthError(error) ? errorHeaders(error, s.realm) : {}),
    },
    body: html,
  };
}
