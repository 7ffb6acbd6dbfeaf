/**
 * The `node` entry's synchronous signature checks: node:crypto for every algorithm, with
 * each key turned into a `KeyObject` once. `crypto.verify` answers in the calling thread,
 * where WebCrypto (through jose) costs a promise and a thread-pool round trip per token.
 * Same answers as jose: `test/sync-verify-differential.test.ts` runs both on the same tokens.
 */
import { Buffer } from 'node:buffer';
import {
  createHmac,
  createSecretKey,
  KeyObject,
  type VerifyKeyObjectInput,
  verify,
} from 'node:crypto';
import { constantTimeEqual } from '../password/constant-time.js';
import type { SignatureCheck, SignatureChecks } from '../tokens/signature.js';

function hmacCheck(secret: Uint8Array): SignatureCheck {
  const key = createSecretKey(secret);
  return (signingInput, signature) => {
    return constantTimeEqual(createHmac('sha256', key).update(signingInput).digest(), signature);
  };
}

function publicKeyCheck(alg: 'EdDSA' | 'ES256', key: CryptoKey): SignatureCheck {
  const publicKey = KeyObject.from(key);
  const digest = alg === 'EdDSA' ? null : 'sha256';
  // JWS carries ECDSA signatures as r‖s (IEEE P1363), not DER.
  const input: KeyObject | VerifyKeyObjectInput =
    alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey;
  return (signingInput, signature) => {
    try {
      return verify(digest, Buffer.from(signingInput), input, signature);
    } catch {
      return false;
    }
  };
}

/** node:crypto checks for every algorithm the core supports. */
export const nodeSignatureChecks: SignatureChecks = (key) =>
  key.alg === 'HS256'
    ? hmacCheck(key.verifyKey as Uint8Array)
    : publicKeyCheck(key.alg, key.verifyKey as CryptoKey);
