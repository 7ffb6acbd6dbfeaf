/**
 * `createVerifier`: verification for a resource server that holds only the issuer's public
 * keys (a JWKS document or its URL), never a secret.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { type Clock, systemClock } from '../clock.js';
import { AuthConfigError, AuthError } from '../errors.js';
import { bearerCredentials } from '../http/bearer.js';
import { assertNoKeyHeaders, cachedVerifier, joseVerifier } from './access-verify.js';
import type { Principal } from './principal.js';
import { VerifiedTokenCache } from './verified-cache.js';

/** Options of {@link createVerifier}. Give `jwks` or `jwksUrl`. */
export interface VerifierOptions {
  /** The issuer's public keys. */
  jwks?: JSONWebKeySet;
  /** Where the issuer publishes them (e.g. `https://auth.example/.well-known/jwks.json`). */
  jwksUrl?: string | URL;
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud`. */
  audience: string | readonly string[];
  /** Allowed algorithms. Default `['EdDSA', 'ES256']` (asymmetric only). */
  algorithms?: ReadonlyArray<'EdDSA' | 'ES256'>;
  /** Time source. Default: the system clock. */
  clock?: Clock;
  /** Leeway for `exp`/`nbf`, seconds. Default 5 (issuer and verifier are different hosts). */
  clockTolerance?: number;
  /** Verified tokens kept in memory. Default 10000; 0 turns the cache off. */
  cacheSize?: number;
  /** Remote JWKS: least time between refetches, ms (rate limit). Default 30000. */
  cooldownDuration?: number;
  /** Remote JWKS: how long a fetched set is used, ms. Default 600000. */
  cacheMaxAge?: number;
  /** Remote JWKS: the fetch to use. Default the global `fetch`. */
  fetch?: typeof fetch;
}

/** A token verifier for resource servers. */
export interface Verifier {
  /** Verifies a bare access token. @throws AuthError `invalid_token`, `token_expired` */
  verify(token: string): Promise<Principal>;
  /** Verifies an `Authorization` header value. @throws AuthError `unauthorized`, `invalid_token`, `token_expired` */
  authenticate(authorization: string | null | undefined): Promise<Principal>;
}

/**
 * Creates a verifier from the issuer's JWKS; a remote set is fetched lazily, cached, and
 * refetched at most once per `cooldownDuration` (an unknown `kid` triggers a refetch).
 * @throws AuthConfigError when neither or both of `jwks` and `jwksUrl` are given
 * @example
 * ```ts
 * const verifier = createVerifier({
 *   jwksUrl: 'https://auth.example/.well-known/jwks.json',
 *   issuer: 'urn:my-app', audience: 'urn:my-api',
 * });
 * const principal = await verifier.authenticate(request.headers.get('authorization'));
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  if ((options.jwks === undefined) === (options.jwksUrl === undefined)) {
    throw new AuthConfigError('jwks', 'give exactly one of jwks and jwksUrl');
  }
  if (!options.issuer) throw new AuthConfigError('issuer', 'is required');
  if (!options.audience || options.audience.length === 0)
    throw new AuthConfigError('audience', 'is required');
  let keys: JWTVerifyGetKey;
  if (options.jwks !== undefined) {
    keys = createLocalJWKSet(options.jwks);
  } else {
    let url: URL;
    try {
      url = new URL(options.jwksUrl as string | URL);
    } catch {
      throw new AuthConfigError('jwksUrl', 'is not a valid URL');
    }
    keys = createRemoteJWKSet(url, {
      cooldownDuration: options.cooldownDuration ?? 30_000,
      cacheMaxAge: options.cacheMaxAge ?? 600_000,
      ...(options.fetch ? { [customFetch]: options.fetch } : {}),
    });
  }
  const getKey: JWTVerifyGetKey = async (header, token) => {
    assertNoKeyHeaders(header);
    try {
      return await keys(header, token);
    } catch (error) {
      throw new AuthError('invalid_token', { description: 'no matching key', cause: error });
    }
  };
  const cacheSize = options.cacheSize ?? 10_000;
  const clock = options.clock ?? systemClock;
  const settings = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockTolerance ?? 5,
  };
  const verify = cachedVerifier(
    joseVerifier(getKey, options.algorithms ?? ['EdDSA', 'ES256'], clock, settings),
    clock,
    settings.clockTolerance,
    cacheSize > 0 ? new VerifiedTokenCache(cacheSize) : undefined,
  );
  return {
    verify,
    authenticate(authorization) {
      let token: string | null;
      try {
        token = bearerCredentials(authorization);
      } catch (error) {
        return Promise.reject(error);
      }
      return token === null ? Promise.reject(new AuthError('unauthorized')) : verify(token);
    },
  };
}
