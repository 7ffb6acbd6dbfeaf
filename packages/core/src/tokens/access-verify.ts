/**
 * Verifies access tokens: algorithm allow-list, `typ`, `iss`, `aud`, `exp`, `nbf` by the
 * clock, required claims, no unknown `crit`, and no key ever taken from the token itself.
 * HS256-only key sets use the synchronous verifier of `hs256.ts`; everything else jose.
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
import { createHs256Verifier } from './hs256.js';
import type { KeySet } from './keys.js';
import type { Principal } from './principal.js';
import type { VerifiedTokenCache } from './verified-cache.js';
import {
  invalid,
  MAX_TOKEN_LENGTH,
  resolveKey,
  TOKEN_SHAPE,
  toPrincipal,
  type VerifySettings,
} from './verify-common.js';

export { assertNoKeyHeaders, MAX_TOKEN_LENGTH, type VerifySettings } from './verify-common.js';

/** Verifies a token of the right shape and resolves its payload; throws `AuthError`. */
export type PayloadVerifier = (token: string) => JWTPayload | Promise<JWTPayload>;

/** A function that turns a compact access token into its principal or throws `AuthError`. */
export type AccessTokenVerifier = (token: string) => Promise<Principal>;

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

/** jose's `jwtVerify` with the core's options, for any key resolver and allow-list. */
export function joseVerifier(
  getKey: JWTVerifyGetKey,
  algorithms: readonly string[],
  clock: Clock,
  settings: VerifySettings,
): PayloadVerifier {
  const options = {
    algorithms: [...algorithms],
    issuer: settings.issuer,
    audience: typeof settings.audience === 'string' ? settings.audience : [...settings.audience],
    typ: 'at+jwt',
    clockTolerance: settings.clockTolerance,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  };
  return async (token) => {
    try {
      return (await jwtVerify(token, getKey, { ...options, currentDate: clockDate(clock) }))
        .payload;
    } catch (error) {
      throw mapJoseError(error);
    }
  };
}

/** jose over a key set: keys chosen by `kid` and algorithm, never from the token. */
export function joseKeySetVerifier(
  keys: KeySet,
  clock: Clock,
  settings: VerifySettings,
): PayloadVerifier {
  const getKey = (header: ProtectedHeaderParameters) => resolveKey(keys, header).verifyKey;
  return joseVerifier(getKey, keys.algorithms, clock, settings);
}

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
  const hs256Only = keys.algorithms.length === 1 && keys.algorithms[0] === 'HS256';
  const verify = hs256Only
    ? createHs256Verifier(keys, clock, settings)
    : joseKeySetVerifier(keys, clock, settings);
  return cachedVerifier(verify, clock, settings.clockTolerance, cache);
}

/**
 * Adds the size limit, the shape check and the verified-token cache to a payload verifier.
 * A cache hit is only returned while the token is unexpired by the clock.
 */
export function cachedVerifier(
  verify: PayloadVerifier,
  clock: Clock,
  tolerance: number,
  cache: VerifiedTokenCache | undefined,
): AccessTokenVerifier {
  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too large');
    if (cache) {
      const hit = cache.get(token, clockSeconds(clock), tolerance);
      if (hit) return hit;
    }
    if (!TOKEN_SHAPE.test(token)) throw invalid('malformed token');
    const principal = toPrincipal(await verify(token));
    cache?.set(token, principal);
    return principal;
  };
}
