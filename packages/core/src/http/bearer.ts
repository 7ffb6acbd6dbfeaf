/**
 * `Authorization: Bearer` parsing (RFC 6750 §2.1) for the hot path: a string in, the token
 * (or nothing) out. The scheme is matched without regard to case.
 */
import { AuthError } from '../errors.js';
import { MAX_TOKEN_LENGTH } from '../tokens/access-verify.js';

/** RFC 6750's `b64token` (RFC 7235's `token68`). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Extracts the bearer token of an `Authorization` header value.
 * @returns the token, or `null` when there are no credentials or another scheme is used
 * @throws AuthError `invalid_token` for a Bearer header whose token is missing, malformed or too large
 */
export function parseBearer(header: string | null | undefined): string | null {
  const token = bearerCredentials(header);
  if (token !== null && !TOKEN68.test(token)) {
    throw new AuthError('invalid_token', { description: 'malformed token' });
  }
  return token;
}

/**
 * True when an `Authorization` header value uses the Bearer scheme (any case), whatever its
 * token: such a request is an API client's, answered by its bearer token alone. Another
 * scheme (a `Basic` header a browser repeats behind a password-protected proxy, say) is not
 * a bearer request; in browser mode its session cookies decide.
 * @example
 * ```ts
 * isBearerScheme('bearer abc'); // true
 * isBearerScheme('Basic dXNlcjpwYXNz'); // false
 * ```
 */
export function isBearerScheme(header: string | null | undefined): boolean {
  if (typeof header !== 'string') return false;
  if (header.startsWith('Bearer ')) return true;
  const value = header.trim();
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  return scheme.length === 6 && scheme.toLowerCase() === 'bearer';
}

/**
 * {@link parseBearer} without the check of the token's characters, for callers that hand
 * the token straight to an access-token verifier: the verifier's check of the compact JWS
 * shape is stricter than `b64token` and answers a malformed token the same way, so the
 * token is scanned once, not twice.
 * @internal
 */
export function bearerCredentials(header: string | null | undefined): string | null {
  if (typeof header !== 'string' || header.length < 6) return null;
  if (header.length > MAX_TOKEN_LENGTH + 64) {
    if (header.slice(0, 7).toLowerCase() !== 'bearer ') return null;
    throw new AuthError('invalid_token', { description: 'token too large' });
  }
  // The common form, `Bearer <token>` exactly, skips the trimming and case folding.
  if (header.startsWith('Bearer ') && header.charCodeAt(7) > 32) {
    const last = header.charCodeAt(header.length - 1);
    if (last > 32) return header.slice(7);
  }
  const value = header.trim();
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.length !== 6 || scheme.toLowerCase() !== 'bearer') return null;
  const token = space === -1 ? '' : value.slice(space + 1).trim();
  if (token.length === 0) throw new AuthError('invalid_token', { description: 'missing token' });
  return token;
}
