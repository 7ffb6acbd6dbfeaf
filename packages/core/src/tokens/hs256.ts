/**
 * A synchronous HS256 verifier with the exact checks, order and answers of `jose.jwtVerify`
 * as the core calls it (allow-list, `crit`, key by `kid`, signature, `typ`, required claims,
 * `iss`, `aud`, `iat`, `nbf`, `exp`), on @noble/hashes' HMAC with the key schedule done once.
 * It skips WebCrypto's per-call promise and key handling, which cost more than the hash on a
 * short token. `test/hs256-differential.test.ts` checks it against jose on mutated tokens.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64url, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { type Clock, clockSeconds } from '../clock.js';
import { AuthError } from '../errors.js';
import { constantTimeEqual } from '../password/constant-time.js';
import type { KeySet, LoadedKey } from './keys.js';
import { invalid, resolveKey, type VerifySettings } from './verify-common.js';

type Mac = ReturnType<typeof hmac.create>;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(decoder.decode(base64url.decode(segment)));
  } catch {
    throw invalid('malformed token');
  }
}

/**
 * jose's `crit` rules: only `b64` is understood, and must then be a boolean.
 * @returns true when the payload is declared unencoded (`b64: false`), which a JWT may not be
 */
function checkCrit(header: Record<string, unknown>): boolean {
  if (header.crit === undefined) return false;
  const crit = header.crit;
  if (
    !Array.isArray(crit) ||
    crit.length === 0 ||
    crit.some((c) => typeof c !== 'string' || c === '')
  ) {
    throw invalid('malformed token');
  }
  for (const name of crit as string[]) {
    if (name !== 'b64') throw invalid('unsupported token');
    if (header.b64 === undefined) throw invalid('malformed token');
  }
  if (typeof header.b64 !== 'boolean') throw invalid('malformed token');
  return header.b64 === false;
}

function normalizeTyp(value: string): string {
  return value.toLowerCase().replace(/^application\//, '');
}

function checkClaims(
  payload: Record<string, unknown>,
  header: Record<string, unknown>,
  settings: VerifySettings,
  now: number,
): void {
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== 'at+jwt') {
    throw invalid('unexpected "typ" claim value');
  }
  for (const claim of ['iss', 'aud', 'jti', 'sub', 'iat', 'exp']) {
    if (!Object.hasOwn(payload, claim)) throw invalid(`missing "${claim}" claim`);
  }
  if (payload.iss !== settings.issuer) throw invalid('unexpected "iss" claim value');
  const expected = typeof settings.audience === 'string' ? [settings.audience] : settings.audience;
  const aud = payload.aud;
  const audOk =
    typeof aud === 'string'
      ? expected.includes(aud)
      : Array.isArray(aud) && aud.some((a) => expected.includes(a));
  if (!audOk) throw invalid('unexpected "aud" claim value');
  const tolerance = settings.clockTolerance;
  if (typeof payload.iat !== 'number') throw invalid('unexpected "iat" claim value');
  if (
    payload.nbf !== undefined &&
    (typeof payload.nbf !== 'number' || payload.nbf > now + tolerance)
  ) {
    throw invalid('token not yet valid');
  }
  if (typeof payload.exp !== 'number') throw invalid('unexpected "exp" claim value');
  if (payload.exp <= now - tolerance) throw new AuthError('token_expired');
}

/**
 * Builds the HS256 verifier of a key set whose every key is HS256.
 * @returns a function from a token of the right shape to its verified payload; throws `AuthError`
 */
export function createHs256Verifier(
  keys: KeySet,
  clock: Clock,
  settings: VerifySettings,
): (token: string) => JWTPayload {
  const macs = new Map<LoadedKey, Mac>();
  for (const key of keys.all) macs.set(key, hmac.create(sha256, key.verifyKey as Uint8Array));
  return (token) => {
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    const header = decodeJson(token.slice(0, first));
    if (!isObject(header)) throw invalid('malformed token');
    const unencoded = checkCrit(header);
    if (typeof header.alg !== 'string' || header.alg === '') throw invalid('malformed token');
    if (header.alg !== 'HS256') throw invalid('algorithm not allowed');
    const key = resolveKey(keys, header as ProtectedHeaderParameters);
    let signature: Uint8Array;
    try {
      signature = base64url.decode(token.slice(second + 1));
    } catch {
      throw invalid('malformed token');
    }
    const mac = (macs.get(key) as Mac).clone();
    const expected = mac.update(encoder.encode(token.slice(0, second))).digest();
    if (!constantTimeEqual(expected, signature)) throw invalid('signature verification failed');
    if (unencoded) throw invalid('malformed token');
    const payload = decodeJson(token.slice(first + 1, second));
    if (!isObject(payload)) throw invalid('malformed token');
    checkClaims(payload, header, settings, clockSeconds(clock));
    return payload as JWTPayload;
  };
}
