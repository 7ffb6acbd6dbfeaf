/**
 * A synchronous verifier with the exact checks, order and answers of `jose.jwtVerify` as the
 * core calls it (allow-list, `crit`, key by `kid`, signature, `typ`, required claims, `iss`,
 * `aud`, `iat`, `nbf`, `exp`), over synchronous signature checks (`signature.ts`). It skips
 * WebCrypto's per-call promise and key handling, which cost more than the signature check
 * on a short token. `test/sync-verify-differential.test.ts` checks it against jose on
 * arbitrary and mutated tokens, for every algorithm and both entries' checks.
 */
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { type Clock, clockSeconds } from '../clock.js';
import { AuthError } from '../errors.js';
import { decodeBase64urlText } from './base64url.js';
import type { KeySet, LoadedKey } from './keys.js';
import type { SignatureCheck, SignatureChecks } from './signature.js';
import { invalid, resolveKey, type VerifySettings } from './verify-common.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(decodeBase64urlText(segment));
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

/** The claims a token must carry, in the order jose reports the first one missing. */
const REQUIRED_CLAIMS = ['iss', 'aud', 'jti', 'sub', 'iat', 'exp'] as const;

function checkClaims(
  payload: Record<string, unknown>,
  header: Record<string, unknown>,
  settings: VerifySettings,
  expected: readonly string[],
  now: number,
): void {
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== 'at+jwt') {
    throw invalid("unexpected 'typ' claim value");
  }
  for (const claim of REQUIRED_CLAIMS) {
    if (!Object.hasOwn(payload, claim)) throw invalid(`missing '${claim}' claim`);
  }
  if (payload.iss !== settings.issuer) throw invalid("unexpected 'iss' claim value");
  const aud = payload.aud;
  const audOk =
    typeof aud === 'string'
      ? expected.includes(aud)
      : Array.isArray(aud) && aud.some((a) => expected.includes(a));
  if (!audOk) throw invalid("unexpected 'aud' claim value");
  const tolerance = settings.clockTolerance;
  if (typeof payload.iat !== 'number') throw invalid("unexpected 'iat' claim value");
  if (payload.nbf !== undefined) {
    if (typeof payload.nbf !== 'number') throw invalid("unexpected 'nbf' claim value");
    if (payload.nbf > now + tolerance) throw invalid('token not yet valid');
  }
  if (typeof payload.exp !== 'number') throw invalid("unexpected 'exp' claim value");
  if (payload.exp <= now - tolerance) throw new AuthError('token_expired');
}

/** A protected header that passed every check made before the signature. */
interface AcceptedHeader {
  readonly header: Record<string, unknown>;
  readonly key: LoadedKey;
  /** `b64: false`, which a JWT may not be: refused once the signature is checked. */
  readonly unencoded: boolean;
}

/** Most accepted headers remembered; a flood of distinct ones only clears the memo. */
const MAX_HEADERS = 32;

/**
 * Builds the synchronous verifier of a key set, when `checks` has a synchronous check for
 * every one of its keys.
 * @returns a function from a token of the right shape (`TOKEN_SHAPE`) and, optionally, the
 *   clock's time in seconds already read for it, to its verified payload (throws
 *   `AuthError`); or `undefined` when some key can only be verified asynchronously
 */
export function createSyncVerifier(
  keys: KeySet,
  checks: SignatureChecks,
  clock: Clock,
  settings: VerifySettings,
): ((token: string, nowSeconds?: number) => JWTPayload) | undefined {
  const byKey = new Map<LoadedKey, SignatureCheck>();
  for (const key of keys.all) {
    const check = checks(key);
    if (!check) return undefined;
    byKey.set(key, check);
  }
  const allowed: readonly string[] = keys.algorithms;
  const audiences = typeof settings.audience === 'string' ? [settings.audience] : settings.audience;
  // Accepted headers by their exact encoded text: a key set's tokens share a few headers,
  // so the decode, parse and key choice are done once per header, not once per token.
  const headers = new Map<string, AcceptedHeader>();
  const acceptHeader = (segment: string): AcceptedHeader => {
    const header = decodeJson(segment);
    if (!isObject(header)) throw invalid('malformed token');
    const unencoded = checkCrit(header);
    if (typeof header.alg !== 'string' || header.alg === '') throw invalid('malformed token');
    if (!allowed.includes(header.alg)) throw invalid('algorithm not allowed');
    const key = resolveKey(keys, header as ProtectedHeaderParameters);
    const accepted = { header, key, unencoded };
    if (headers.size >= MAX_HEADERS) headers.clear();
    headers.set(segment, accepted);
    return accepted;
  };
  return (token, nowSeconds) => {
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    const segment = token.slice(0, first);
    const { header, key, unencoded } = headers.get(segment) ?? acceptHeader(segment);
    const signature = token.slice(second + 1);
    // Its characters are base64url (the token's shape); a length of 4n+1 cannot be decoded.
    if ((signature.length & 3) === 1) throw invalid('malformed token');
    const check = byKey.get(key) as SignatureCheck;
    if (!check(token.slice(0, second), signature)) throw invalid('signature verification failed');
    if (unencoded) throw invalid('malformed token');
    const payload = decodeJson(token.slice(first + 1, second));
    if (!isObject(payload)) throw invalid('malformed token');
    checkClaims(payload, header, settings, audiences, nowSeconds ?? clockSeconds(clock));
    return payload as JWTPayload;
  };
}
