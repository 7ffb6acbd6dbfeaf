/**
 * Synchronous signature checks, one per key. The default entry checks HS256 with
 * @noble/hashes (the key schedule done once); the `node` entry checks every algorithm with
 * node:crypto (`src/node/signature-checks.ts`). A key without a synchronous check is
 * verified by jose through WebCrypto.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { constantTimeEqual } from '../password/constant-time.js';
import { decodeBase64url } from './base64url.js';
import type { LoadedKey } from './keys.js';

/**
 * Checks one signature: the JWS signing input (ASCII, `header.payload`) and the signature
 * as the token carries it, base64url text that decodes (only base64url characters, no length
 * of 4n+1), in; `true` when the signature is the key's over that input. Never throws.
 */
export type SignatureCheck = (signingInput: string, signature: string) => boolean;

/** The synchronous check of a key, or `undefined` when this runtime verifies it asynchronously. */
export type SignatureChecks = (key: LoadedKey) => SignatureCheck | undefined;

const encoder = new TextEncoder();

/** HS256 with @noble/hashes: an HMAC whose key schedule is computed once and cloned per call. */
export function nobleHs256Check(secret: Uint8Array): SignatureCheck {
  const keyed = hmac.create(sha256, secret);
  return (signingInput, signature) => {
    const expected = keyed.clone().update(encoder.encode(signingInput)).digest();
    try {
      return constantTimeEqual(expected, decodeBase64url(signature));
    } catch {
      return false;
    }
  };
}

/** The default entry's checks: HS256 only; EdDSA and ES256 go through jose. */
export const pureSignatureChecks: SignatureChecks = (key) =>
  key.alg === 'HS256' ? nobleHs256Check(key.verifyKey as Uint8Array) : undefined;
