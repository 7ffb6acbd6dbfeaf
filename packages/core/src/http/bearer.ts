/**
 * `Authorization: Bearer` parsing (RFC 6750 §2.1) for the hot path: a string in, the token
 * (or nothing) out. The scheme is matched without regard to case.
 */
import { AuthError } from '../errors.js';
import { MAX_TOKEN_LENGTH } from '../tokens/access-verify.js';

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Extracts the bearer token of an `Authorization` header value.
 * @returns the token, or `null` when there are no credentials or another scheme is used
 * @throws AuthError `invalid_token` for a Bearer header whose token is missing, malformed or too large
 */
export function parseBearer(header: string | null | undefined): string | null {
  if (typeof header !== 'string' || header.length < 6) return null;
  if (header.length > MAX_TOKEN_LENGTH + 64) {
    if (header.slice(0, 7).toLowerCase() !== 'bearer ') return null;
    throw new AuthError('invalid_token', { description: 'token too large' });
  }
  // The common form, `Bearer <token>` exactly, skips the trimming and case folding.
  if (header.startsWith('Bearer ') && header.charCodeAt(7) > 32) {
    const last = header.charCodeAt(header.length - 1);
    if (last > 32) return checkedToken(header.slice(7));
  }
  const value = header.trim();
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.length !== 6 || scheme.toLowerCase() !== 'bearer') return null;
  const token = space === -1 ? '' : value.slice(space + 1).trim();
  if (token.length === 0) throw new AuthError('invalid_token', { description: 'missing token' });
  return checkedToken(token);
}

function checkedToken(token: string): string {
  if (!TOKEN68.test(token))
    throw new AuthError('invalid_token', { description: 'malformed token' });
  return token;
}
