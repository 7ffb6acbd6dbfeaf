/**
 * The session cookies of browser mode: names, parsing of `Cookie`, and `Set-Cookie` values.
 *
 * Three cookies, all `SameSite=Lax` and `Path=/`, `Secure` with the `__Host-` prefix unless
 * `secureCookies` is off:
 * - access (`HttpOnly`, `Max-Age` = access-token TTL): the JWT access token;
 * - refresh (`HttpOnly`, `Max-Age` = refresh-token TTL): the opaque refresh token;
 * - csrf (readable by the page's own scripts, `Max-Age` = refresh-token TTL): the per-session
 *   CSRF token, sent back in forms (`csrf_token`) or the `X-CSRF-Token` header.
 *
 * Why the refresh cookie is not scoped to `{basePath}`: an expired access cookie is refreshed
 * transparently on *any* protected route, including non-GET requests and `fetch` calls that
 * could not follow a redirect to a refresh route, so the refresh token must reach those
 * routes. A `Path` is no security boundary anyway (any page of the origin can read any path's
 * responses), while the `__Host-` prefix is one: it requires `Secure` and `Path=/` and forbids
 * `Domain`, so a sibling subdomain or a plain-http page can neither set nor shadow these
 * cookies (cookie tossing), which is what makes the double-submit CSRF token sound. Both
 * tokens are `HttpOnly`, so page scripts never see them. `Path=/` is always set explicitly:
 * without it, cookies set by `POST /auth/login` would default to `Path=/auth`.
 */
import { MAX_TOKEN_LENGTH } from '../../tokens/access-verify.js';
import { isRefreshTokenShape } from '../../tokens/refresh-token.js';

/** The cookie names in use. */
export interface CookieNames {
  readonly access: string;
  readonly refresh: string;
  readonly csrf: string;
}

/** The session cookies found in a `Cookie` header (only well-formed values). */
export interface CookieJar {
  readonly access?: string | undefined;
  readonly refresh?: string | undefined;
  readonly csrf?: string | undefined;
}

/** The names of the cookies: `__Host-` prefixed when secure. */
export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? '__Host-' : '';
  return {
    access: `${prefix}auth_access`,
    refresh: `${prefix}auth_refresh`,
    csrf: `${prefix}auth_csrf`,
  };
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const CSRF_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Longest `Cookie` header read; a longer one is read only up to here. */
const MAX_COOKIE_HEADER = 16 * 1024;

/** True when `value` looks like a CSRF token this module issues. */
export function isCsrfShape(value: string): boolean {
  return CSRF_SHAPE.test(value);
}

/**
 * Reads the session cookies from a `Cookie` header. Malformed values count as absent; of a
 * repeated name the first wins (the most specific path, RFC 6265 §5.4).
 */
export function readCookies(header: string | null | undefined, names: CookieNames): CookieJar {
  if (typeof header !== 'string' || header.length === 0) return {};
  let access: string | undefined;
  let refresh: string | undefined;
  let csrf: string | undefined;
  for (const pair of header.slice(0, MAX_COOKIE_HEADER).split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === names.access && access === undefined) {
      access = value.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(value) ? value : '';
    } else if (name === names.refresh && refresh === undefined) {
      refresh = isRefreshTokenShape(value) ? value : '';
    } else if (name === names.csrf && csrf === undefined) {
      csrf = isCsrfShape(value) ? value : '';
    }
  }
  return { access: access || undefined, refresh: refresh || undefined, csrf: csrf || undefined };
}

/** Attributes of one `Set-Cookie`. */
export interface CookieAttributes {
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number;
  readonly httpOnly: boolean;
  readonly secure: boolean;
}

/** A `Set-Cookie` value. `Max-Age` only, never `Expires`: time comes from the clock alone. */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  let cookie = `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(attrs.maxAge))}`;
  if (attrs.httpOnly) cookie += '; HttpOnly';
  if (attrs.secure) cookie += '; Secure';
  return `${cookie}; SameSite=Lax`;
}
