/** Internal: what every access-token verifier shares — limits, errors, key choice, principal. */
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { AuthError } from '../errors.js';
import type { KeySet, LoadedKey } from './keys.js';
import type { Principal } from './principal.js';

/** Longest access token accepted, in characters; longer ones are refused unparsed. */
export const MAX_TOKEN_LENGTH = 8192;

/** The shape of a compact JWS; anything else is refused before decoding. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** What a token must match. */
export interface VerifySettings {
  issuer: string;
  audience: string | readonly string[];
  /** Leeway for `exp`/`nbf`/`iat`, seconds. */
  clockTolerance: number;
}

const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

/** An `invalid_token` error with a description safe to show. */
export function invalid(description: string, cause?: unknown): AuthError {
  return new AuthError('invalid_token', { description, cause });
}

/** Refuses headers that would name a key from outside (never fetched, never trusted). */
export function assertNoKeyHeaders(header: ProtectedHeaderParameters): void {
  for (const name of FORBIDDEN_HEADERS) {
    if (name in header) throw invalid(`the '${name}' header is not accepted`);
  }
}

/**
 * The configured key a token's header names: by `kid`, or the one key without a `kid` for
 * its algorithm; the key's algorithm must be the token's.
 * @throws AuthError `invalid_token`
 */
export function resolveKey(keys: KeySet, header: ProtectedHeaderParameters): LoadedKey {
  assertNoKeyHeaders(header);
  let key: LoadedKey | undefined;
  if (header.kid !== undefined) {
    key = typeof header.kid === 'string' ? keys.byKid.get(header.kid) : undefined;
    if (!key) throw invalid('unknown key id');
  } else {
    key = keys.all.find((k) => k.kid === undefined && k.alg === header.alg);
    if (!key) throw invalid('missing key id');
  }
  if (key.alg !== header.alg) throw invalid('algorithm not allowed');
  return key;
}

/**
 * The principal of a verified payload.
 * @throws AuthError when `sub` or `jti` is not a non-empty string (RFC 9068 §2.2), or `roles`
 *   not a string array
 */
export function toPrincipal(payload: JWTPayload): Principal {
  for (const claim of ['sub', 'jti'] as const) {
    const value = payload[claim];
    if (typeof value !== 'string' || value === '')
      throw invalid(`unexpected '${claim}' claim value`);
  }
  const roles = payload.roles;
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
    throw invalid("missing 'roles' claim");
  }
  const sid = payload.sid;
  return Object.freeze({
    userId: payload.sub as string,
    // The payload is this verifier's own parse: its arrays are frozen in place, not copied.
    roles: Object.freeze(roles) as readonly string[],
    sessionId: typeof sid === 'string' ? sid : undefined,
    tokenId: payload.jti as string,
    issuedAt: payload.iat as number,
    expiresAt: payload.exp as number,
    claims: Object.freeze(payload) as Readonly<Record<string, unknown>>,
  });
}
