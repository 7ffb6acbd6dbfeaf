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
import { constantTimeEqual, constantTimeEqualText } from '../password/constant-time.js';
import { decodeBase64url } from '../tokens/base64url.js';
import type { SignatureCheck, SignatureChecks } from '../tokens/signature.js';

/**
 * HS256: the expected MAC is encoded and compared with the token's text, which spares
 * decoding the signature. Text that differs may still be the same bytes (a decoder ignores
 * the unused low bits of the last character, as jose does), so then the bytes decide.
 */
function hmacCheck(secret: Uint8Array): SignatureCheck {
  const key = createSecretKey(secret);
  return (signingInput, signature) => {
    const expected = createHmac('sha256', key).update(signingInput).digest('base64url');
    if (constantTimeEqualText(expected, signature)) return true;
    try {
      return constantTimeEqual(Buffer.from(expected, 'base64url'), decodeBase64url(signature));
    } catch {
      return false;
    }
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
      return verify(digest, Buffer.from(signingInput), input, decodeBase64url(signature));
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
