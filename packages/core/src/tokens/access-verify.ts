/**
 * Verifies access tokens: algorithm allow-list, `typ`, `iss`, `aud`, `exp`, `nbf` by the
 * clock, required claims, no unknown `crit`, and no key ever taken from the token itself.
 * A key set whose every key has a synchronous signature check (HS256 everywhere; EdDSA and
 * ES256 too under the `node` entry) uses the synchronous verifier of `sync-verify.ts`;
 * otherwise jose.
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
import type { KeySet } from './keys.js';
import type { Principal } from './principal.js';
import type { SignatureChecks } from './signature.js';
import { createSyncVerifier } from './sync-verify.js';
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

/**
 * Verifies without waiting: the principal, or throws `AuthError`; `undefined` when only the
 * asynchronous verifier can decide (a cache miss for a key verified through WebCrypto).
 */
export type SyncAccessTokenVerifier = (token: string) => Principal | undefined;

/** Both ways to verify a token of one key set, sharing one cache. */
export interface AccessTokenVerifiers {
  readonly verify: AccessTokenVerifier;
  readonly verifySync: SyncAccessTokenVerifier;
  /**
   * The cache hit of the token an exact `Bearer <token>` header carries, still unexpired by
   * the clock, without any other check; any other header is a miss.
   */
  readonly cachedHeader: (authorization: string) => Principal | undefined;
}

function mapJoseError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTExpired) return new AuthError('token_expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') {
      return invalid('token not yet valid', error);
    }
    if (error.reason === 'missing') return invalid(`missing '${error.claim}' claim`, error);
    return invalid(`unexpected '${error.claim}' claim value`, error);
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
 * Builds the verifiers of one auth instance.
 * @param checks - the runtime's synchronous signature checks
 * @param cache - verified-token cache, or `undefined` for none
 * @param issued - every principal these verifiers make is added to it
 */
export function createAccessTokenVerifiers(
  keys: KeySet,
  checks: SignatureChecks,
  clock: Clock,
  settings: VerifySettings,
  cache: VerifiedTokenCache | undefined,
  issued?: WeakSet<Principal>,
): AccessTokenVerifiers {
  const tolerance = settings.clockTolerance;
  const hit = (authorization: string) =>
    cache?.getByHeader(authorization, clockSeconds(clock), tolerance);
  const sync = createSyncVerifier(keys, checks, clock, settings);
  if (!sync) {
    const verify = joseKeySetVerifier(keys, clock, settings);
    return {
      verify: cachedVerifier(verify, clock, tolerance, cache, issued),
      verifySync: (token) => cached(token, clock, tolerance, cache),
      cachedHeader: hit,
    };
  }
  const verifySync = (token: string): Principal => {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too large');
    const now = clockSeconds(clock);
    const found = cache?.get(token, now, tolerance);
    if (found) return found;
    if (!TOKEN_SHAPE.test(token)) throw invalid('malformed token');
    const principal = toPrincipal(sync(token, now));
    issued?.add(principal);
    cache?.set(token, principal);
    return principal;
  };
  const verify = (token: string): Promise<Principal> => {
    try {
      return Promise.resolve(verifySync(token));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return { verify, verifySync, cachedHeader: hit };
}

/** The size limit, then the cache: a hit only while the token is unexpired by the clock. */
function cached(
  token: string,
  clock: Clock,
  tolerance: number,
  cache: VerifiedTokenCache | undefined,
): Principal | undefined {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too large');
  return cache?.get(token, clockSeconds(clock), tolerance);
}

/**
 * Adds the size limit, the shape check and the verified-token cache to a payload verifier.
 * A cache hit is only returned while the token is unexpired by the clock; each principal it
 * makes is added to `issued`.
 */
export function cachedVerifier(
  verify: PayloadVerifier,
  clock: Clock,
  tolerance: number,
  cache: VerifiedTokenCache | undefined,
  issued?: WeakSet<Principal>,
): AccessTokenVerifier {
  return async (token) => {
    const hit = cached(token, clock, tolerance, cache);
    if (hit) return hit;
    if (!TOKEN_SHAPE.test(token)) throw invalid('malformed token');
    const principal = toPrincipal(await verify(token));
    issued?.add(principal);
    cache?.set(token, principal);
    return principal;
  };
}
