/**
 * CSRF defence for requests authenticated by cookie: the request must come from this origin
 * (`Sec-Fetch-Site` and `Origin`) and carry the session's CSRF token (double submit: the
 * form field or `X-CSRF-Token` header must equal the csrf cookie). Bearer requests need
 * neither: a browser never adds an `Authorization` header on its own.
 */
import { AuthError } from '../../errors.js';
import { constantTimeEqual } from '../../password/constant-time.js';
import { randomId } from '../../random.js';

/** Methods that change state; only these are checked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the check reads from a request. */
export interface OriginFacts {
  /** The `Origin` header. */
  readonly origin?: string | null | undefined;
  /** The `Sec-Fetch-Site` header. */
  readonly secFetchSite?: string | null | undefined;
  /** The `Host` the request was sent to (`host[:port]`). */
  readonly host?: string | null | undefined;
}

/** True for `POST`, `PUT`, `PATCH`, `DELETE` and any other method that is not safe. */
export function isUnsafeMethod(method: string | null | undefined): boolean {
  return !SAFE_METHODS.has((method ?? 'GET').toUpperCase());
}

/** A fresh CSRF token: 256 random bits, base64url. */
export function newCsrfToken(): string {
  return randomId(32);
}

function forbidden(description: string): AuthError {
  return new AuthError('forbidden', { description });
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** The origins a request to `host` may come from. */
function originsOf(host: string, secure: boolean): string[] {
  try {
    const https = new URL(`https://${host}`);
    if (https.username || https.password || https.pathname !== '/') return [];
    const origins = [https.origin];
    if (!secure || LOOPBACK.test(https.hostname)) origins.push(new URL(`http://${host}`).origin);
    return origins;
  } catch {
    return [];
  }
}

/**
 * Refuses a request that says it comes from elsewhere: `Sec-Fetch-Site` other than
 * `same-origin` (`cross-site`, `same-site` — a sibling subdomain, which `SameSite=Lax`
 * would not stop — or `none`), or an `Origin` that is neither this server's nor trusted.
 * A request with neither header (an old browser, a script) passes this check and relies on
 * the CSRF token alone.
 * @param secure - whether cookies are secure (then only `https://{host}` is this server,
 *   except on a loopback host)
 * @throws AuthError `forbidden`
 */
export function assertSameOrigin(
  facts: OriginFacts,
  secure: boolean,
  trusted: readonly string[],
): void {
  const site = facts.secFetchSite?.trim().toLowerCase();
  if (site && site !== 'same-origin') throw forbidden('cross-site request refused');
  const origin = facts.origin?.trim();
  if (!origin) return;
  if (trusted.includes(origin)) return;
  const host = facts.host?.trim().toLowerCase();
  if (host && originsOf(host, secure).includes(origin.toLowerCase())) return;
  throw forbidden('cross-site request refused');
}

const encoder = new TextEncoder();

/**
 * Refuses a request whose CSRF token is missing or differs from the csrf cookie (compared in
 * constant time).
 * @throws AuthError `forbidden`
 */
export function assertCsrfToken(
  presented: string | null | undefined,
  expected: string | undefined,
): void {
  if (
    typeof presented !== 'string' ||
    expected === undefined ||
    !constantTimeEqual(encoder.encode(presented), encoder.encode(expected))
  ) {
    throw forbidden('missing or invalid CSRF token');
  }
}
