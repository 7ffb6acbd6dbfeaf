/**
 * Verifies passlib's `$pbkdf2-sha256$` and `$pbkdf2-sha512$` hashes (the default of many
 * FastAPI tutorials), so users migrating with their database keep their passwords. Read only:
 * a successful login rehashes to the current scheme.
 *
 * Format: `$pbkdf2-<digest>$<rounds>$<salt>$<checksum>`, salt and checksum in passlib's
 * "adapted base64" (`.` for `+`, no padding).
 */
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { AuthError } from '../../errors.js';
import { constantTimeEqual } from '../constant-time.js';
import { encodePassword } from '../length.js';
import { decodeBase64 } from '../phc.js';
import type { HashVerifier } from '../scheme.js';

/** Most rounds accepted (passlib writes 29000); more is refused before any work. */
export const PBKDF2_MAX_ROUNDS = 5_000_000;

const DIGESTS = {
  'pbkdf2-sha256': { hash: sha256, length: 32 },
  'pbkdf2-sha512': { hash: sha512, length: 64 },
} as const;
type Pbkdf2Id = keyof typeof DIGESTS;
const SHAPE =
  /^\$(pbkdf2-sha256|pbkdf2-sha512)\$([1-9][0-9]{0,8})\$([./A-Za-z0-9]{0,128})\$([./A-Za-z0-9]{43,86})$/;

function unsupported(): AuthError {
  return new AuthError('unsupported_hash', { description: 'malformed pbkdf2 hash' });
}

function adaptedBase64(text: string): Uint8Array {
  return decodeBase64(text.replaceAll('.', '+'));
}

/**
 * A verifier of passlib PBKDF2 hashes.
 * @returns a {@link HashVerifier} for `createHasher({ verifiers })`
 * @example
 * ```ts
 * const hasher = createHasher({ verifiers: [argon2id(), scrypt(), pbkdf2Verifier()] });
 * ```
 */
export function pbkdf2Verifier(): HashVerifier {
  const ids = Object.keys(DIGESTS) as Pbkdf2Id[];
  return {
    ids,
    supports: (hash) => typeof hash === 'string' && ids.some((id) => hash.startsWith(`$${id}$`)),
    async verify(hash, password) {
      const match = SHAPE.exec(hash);
      if (!match) throw unsupported();
      const digest = DIGESTS[match[1] as Pbkdf2Id];
      const rounds = Number(match[2]);
      if (rounds > PBKDF2_MAX_ROUNDS) throw unsupported();
      let salt: Uint8Array;
      let expected: Uint8Array;
      try {
        salt = adaptedBase64(match[3]!);
        expected = adaptedBase64(match[4]!);
      } catch {
        throw unsupported();
      }
      if (expected.length !== digest.length) throw unsupported();
      const bytes = encodePassword(password);
      try {
        const derived = await pbkdf2Async(digest.hash, bytes, salt, {
          c: rounds,
          dkLen: digest.length,
          asyncTick: 10,
        });
        return constantTimeEqual(derived, expected);
      } finally {
        bytes.fill(0);
      }
    },
  };
}
