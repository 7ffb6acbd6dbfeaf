/**
 * Cookie sessions: authenticating a request by its bearer header or, in browser mode, by its
 * session cookies — with CSRF checks on unsafe methods and a transparent refresh of an
 * expired access cookie through the ordinary rotation (reuse detection included).
 */
import type { ResolvedBrowserOptions } from '../../config.js';
import { AuthError, isAuthError } from '../../errors.js';
import type { TokenResponse } from '../../flows/tokens.js';
import type { Principal } from '../../tokens/principal.js';
import { isBearerScheme } from '../bearer.js';
import { type CookieJar, cookieNames, readCookies, serializeCookie } from './cookies.js';
import { assertCsrfToken, assertSameOrigin, isUnsafeMethod, newCsrfToken } from './csrf.js';

/** What an adapter passes to `auth.authenticateRequest`: plain header strings. */
export interface RequestFacts {
  /** The request method. Default `GET`. */
  method?: string | undefined;
  /** The `Authorization` header. When present, only it counts (cookies are ignored). */
  authorization?: string | null | undefined;
  /** The `Cookie` header. */
  cookie?: string | null | undefined;
  /** The `Origin` header. */
  origin?: string | null | undefined;
  /** The `Sec-Fetch-Site` header. */
  secFetchSite?: string | null | undefined;
  /** The `Host` header (`host[:port]`) the request was sent to. */
  host?: string | null | undefined;
  /** The CSRF token: the `X-CSRF-Token` header, or a form's `csrf_token` field. */
  csrfToken?: string | null | undefined;
}

/** The outcome of `auth.authenticateRequest`. */
export interface RequestAuthentication {
  /** Who the request is from. */
  readonly principal: Principal;
  /** What authenticated it. */
  readonly via: 'bearer' | 'cookie';
  /**
   * `Set-Cookie` values the response must carry (each as its own header): the new session
   * cookies after a transparent refresh, or a fresh CSRF cookie. Empty for bearer requests.
   */
  readonly setCookie: readonly string[];
  /**
   * The header fields a successful answer must carry, each appended as its own field line, in
   * order: `setCookie` as `Set-Cookie` fields, then, for a cookie session,
   * `Cache-Control: no-store` and `Vary: Cookie`. An answer that a cookie authenticated is
   * that user's, and a shared cache would hand it to the next client: RFC 9111 §3.5 keeps
   * caches from storing answers to `Authorization` only, not to cookies. Empty for bearer
   * requests. An error answer of the core's already carries both and needs only `setCookie`.
   */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The session's CSRF token, to embed in the app's forms (`csrf_token`); cookie sessions only. */
  readonly csrfToken: string | undefined;
}

/** The outcome of a request authenticated by its bearer header: nothing for the answer to carry. */
export function bearerAuthentication(principal: Principal): RequestAuthentication {
  return { principal, via: 'bearer', setCookie: [], headers: [], csrfToken: undefined };
}

/** The outcome of a request authenticated by its cookies, with the cookies to set. */
function cookieAuthentication(
  principal: Principal,
  setCookie: readonly string[],
  csrfToken: string,
): RequestAuthentication {
  const headers: Array<readonly [string, string]> = setCookie.map((c) => ['set-cookie', c]);
  headers.push(['cache-control', 'no-store'], ['vary', 'Cookie']);
  return { principal, via: 'cookie', setCookie, headers, csrfToken };
}

/** What the session needs of the flows. */
export interface SessionFlows {
  authenticate(header: string | null | undefined): Promise<Principal>;
  verifyAccessToken(token: string): Promise<Principal>;
  sessionLive(principal: Principal): Promise<boolean>;
  refresh(token: string): Promise<TokenResponse>;
}

/** The cookie session of one auth instance. */
export interface CookieSession {
  readonly names: ReturnType<typeof cookieNames>;
  /** Reads the session cookies of a `Cookie` header. */
  read(cookie: string | null | undefined): CookieJar;
  /** See `Auth.authenticateRequest`. */
  authenticate(facts: RequestFacts): Promise<RequestAuthentication>;
  /** Throws `forbidden` unless the request is same-origin and carries the CSRF token. */
  assertCsrf(facts: RequestFacts, jar: CookieJar): void;
  /** The `Set-Cookie` values of a new or refreshed session. */
  sessionCookies(tokens: TokenResponse, csrf: string): string[];
  /** The `Set-Cookie` value of a CSRF cookie. */
  csrfCookie(csrf: string): string;
  /** `Set-Cookie` values deleting the session cookies (and the csrf cookie when `all`). */
  clearCookies(all: boolean): string[];
}

/** The refusal of a cookie session that was revoked or has expired. */
const sessionEnded = () =>
  new AuthError('invalid_token', { description: 'the session has expired or was revoked' });

/** Builds the cookie session of browser mode. */
export function createCookieSession(
  browser: ResolvedBrowserOptions,
  ttl: { access: number; refresh: number },
  flows: SessionFlows,
): CookieSession {
  const secure = browser.secureCookies;
  const names = cookieNames(secure);
  const read = (cookie: string | null | undefined) => readCookies(cookie, names);

  const csrfCookie = (csrf: string) =>
    serializeCookie(names.csrf, csrf, { maxAge: ttl.refresh, httpOnly: false, secure });
  const sessionCookies = (tokens: TokenResponse, csrf: string) => [
    serializeCookie(names.access, tokens.access_token, {
      maxAge: tokens.expires_in,
      httpOnly: true,
      secure,
    }),
    serializeCookie(names.refresh, tokens.refresh_token, {
      maxAge: ttl.refresh,
      httpOnly: true,
      secure,
    }),
    csrfCookie(csrf),
  ];
  const clearCookies = (all: boolean) =>
    (all ? [names.access, names.refresh, names.csrf] : [names.access, names.refresh]).map((n) =>
      serializeCookie(n, '', { maxAge: 0, httpOnly: n !== names.csrf, secure }),
    );

  const assertCsrf = (facts: RequestFacts, jar: CookieJar) => {
    assertSameOrigin(facts, secure, browser.trustedOrigins);
    assertCsrfToken(facts.csrfToken, jar.csrf);
  };

  const authenticate = async (facts: RequestFacts): Promise<RequestAuthentication> => {
    if (isBearerScheme(facts.authorization)) {
      return bearerAuthentication(await flows.authenticate(facts.authorization));
    }
    const jar = read(facts.cookie);
    if (!jar.access && !jar.refresh) throw new AuthError('unauthorized');
    // Refuse a forged request before anything changes state (a refresh rotates the token).
    if (isUnsafeMethod(facts.method)) assertCsrf(facts, jar);
    const current = jar.access
      ? await flows.verifyAccessToken(jar.access).catch((error: unknown) => {
          // An expired (or no longer verifiable, e.g. after key rotation) access cookie is
          // replaced through the refresh cookie; without one, the error stands.
          const renewable =
            isAuthError(error) &&
            (error.code === 'token_expired' || error.code === 'invalid_token');
          if (!jar.refresh || !renewable) throw error;
          return undefined;
        })
      : undefined;
    if (current) {
      // A cookie session ends on the server: after logout (or logout-all, or reuse
      // detection) its access cookie is refused at once, not when it expires.
      if (!(await flows.sessionLive(current))) throw sessionEnded();
      const csrfToken = jar.csrf ?? newCsrfToken();
      return cookieAuthentication(current, jar.csrf ? [] : [csrfCookie(csrfToken)], csrfToken);
    }
    let tokens: TokenResponse;
    try {
      tokens = await flows.refresh(jar.refresh!);
    } catch (error) {
      if (isAuthError(error) && error.code === 'invalid_grant') throw sessionEnded();
      throw error;
    }
    const principal = await flows.verifyAccessToken(tokens.access_token);
    const csrfToken = jar.csrf ?? newCsrfToken();
    return cookieAuthentication(principal, sessionCookies(tokens, csrfToken), csrfToken);
  };

  return { names, read, authenticate, assertCsrf, sessionCookies, csrfCookie, clearCookies };
}
