/**
 * Verifies access tokens: algorithm allow-list, `typ`, `iss`, `aud`, `exp`, `nbf` by the
 * clock, required claims, no unknown `crit`, and no key ever taken from the token itself.
 */
import {
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { type Clock, clockDate, clockSeconds } from '../clock.js';
import { AuthError } from '../errors.js';
import type { KeySet, LoadedKey } from './keys.js';
import type { Principal } from './principal.js';
import type { VerifiedTokenCache } from './verified-cache.js';

/** Longest access token accepted, in characters; longer ones are refused unparsed. */
export const MAX_TOKEN_LENGTH = 8192;

/** What a token must match. */
export interface VerifySettings {
  issuer: string;
  audience: string | readonly string[];
  /** Leeway for `exp`/`nbf`/`iat`, seconds. */
  clockTolerance: number;
}

const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function invalid(description: string, cause?: unknown): AuthError {
  return new AuthError('invalid_token', { description, cause });
}

/** Refuses headers that would name a key from outside (never fetched, never trusted). */
export function assertNoKeyHeaders(header: ProtectedHeaderParameters): void {
  for (const name of FORBIDDEN_HEADERS) {
    if (name in header) throw invalid(`the "${name}" header is not accepted`);
  }
}

function keyResolver(keys: KeySet): JWTVerifyGetKey {
  return (header: ProtectedHeaderParameters) => {
    assertNoKeyHeaders(header);
    let key: LoadedKey | undefined;
    if (header.kid !== undefined) {
      key = keys.byKid.get(header.kid);
      if (!key) throw invalid('unknown key id');
    } else {
      key = keys.all.find((k) => k.kid === undefined && k.alg === header.alg);
      if (!key) throw invalid('missing key id');
    }
    if (key.alg !== header.alg) throw invalid('algorithm not allowed');
    return key.verifyKey;
  };
}

function mapJoseError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTExpired) return new AuthError('token_expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return invalid('token not yet valid', error);
    if (error.reason === 'missing') return invalid(`missing "${error.claim}" claim`, error);
    return invalid(`unexpected "${error.claim}" claim value`, error);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm not allowed', error);
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('signature verification failed', error);
  }
  if (error instanceof errors.JOSENotSupported) return invalid('unsupported token', error);
  return invalid('malformed token', error);
}

function toPrincipal(payload: JWTPayload): Principal {
  const roles = payload.roles;
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
    throw invalid('missing "roles" claim');
  }
  const sid = payload.sid;
  return Object.freeze({
    userId: payload.sub as string,
    roles: Object.freeze([...roles]) as readonly string[],
    sessionId: typeof sid === 'string' ? sid : undefined,
    tokenId: payload.jti as string,
    issuedAt: payload.iat as number,
    expiresAt: payload.exp as number,
    claims: Object.freeze(payload) as Readonly<Record<string, unknown>>,
  });
}

/** A function that turns a compact access token into its principal or throws `AuthError`. */
export type AccessTokenVerifier = (token: string) => Promise<Principal>;

/**
 * Builds the verifier of one auth instance.
 * @param cache - verified-token cache, or `undefined` for none
 */
export function createAccessTokenVerifier(
  keys: KeySet,
  clock: Clock,
  settings: VerifySettings,
  cache: VerifiedTokenCache | undefined,
): AccessTokenVerifier {
  return verifierFor(keyResolver(keys), [...keys.algorithms], clock, settings, cache);
}

/**
 * Builds a verifier over any key resolver (a key set, or a JWKS).
 * @param algorithms - the allow-list
 */
export function verifierFor(
  getKey: JWTVerifyGetKey,
  algorithms: readonly string[],
  clock: Clock,
  settings: VerifySettings,
  cache: VerifiedTokenCache | undefined,
): AccessTokenVerifier {
  const audience =
    typeof settings.audience === 'string' ? settings.audience : [...settings.audience];
  const tolerance = settings.clockTolerance;
  const allowed = [...algorithms];
  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too large');
    if (cache) {
      const hit = cache.get(token, clockSeconds(clock), tolerance);
      if (hit) return hit;
    }
    if (!TOKEN_SHAPE.test(token)) throw invalid('malformed token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms: allowed,
        issuer: settings.issuer,
        audience,
        typ: 'at+jwt',
        clockTolerance: tolerance,
        currentDate: clockDate(clock),
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      }));
    } catch (error) {
      throw mapJoseError(error);
    }
    const principal = toPrincipal(payload);
    cache?.set(token, principal);
    return principal;
  };
}
