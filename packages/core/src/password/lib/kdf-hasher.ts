/** Internal: one hasher for one key-derivation scheme, over any {@link Derive}. */
import { AuthError } from '../../errors.js';
import { constantTimeEqual } from '../constant-time.js';
import { encodePassword } from '../length.js';
import { type DecodedHash, decodeHash, encodeHash, type KdfParams, sameParams } from '../params.js';
import type { SchemeHasher } from '../scheme.js';
import type { Derive } from './derive.js';

/** What a scheme hasher writes, validated by the public factories. */
export interface KdfSpec {
  /** PHC ids the hasher reads; the first family member is what it writes. */
  readonly ids: readonly string[];
  /** Algorithm and costs of new hashes. */
  readonly params: KdfParams;
  /** Salt length of new hashes, in bytes. */
  readonly saltLength: number;
  /** Hash length of new hashes, in bytes. */
  readonly hashLength: number;
  /** Longest accepted password, in code points. */
  readonly maxPasswordLength: number;
}

/**
 * Builds a {@link SchemeHasher} that writes `spec` and verifies any hash of `spec.ids`,
 * deriving with `derive`.
 */
export function createKdfHasher(spec: KdfSpec, derive: Derive): SchemeHasher {
  const supports = (hash: string): boolean =>
    typeof hash === 'string' && spec.ids.some((id) => hash.startsWith(`$${id}$`));

  const decode = (hash: string): DecodedHash => {
    if (!supports(hash)) throw new AuthError('unsupported_hash');
    return decodeHash(hash);
  };

  return {
    ids: spec.ids,
    supports,
    async hash(password) {
      const bytes = encodePassword(password, spec.maxPasswordLength);
      const salt = crypto.getRandomValues(new Uint8Array(spec.saltLength));
      try {
        const hash = await derive(spec.params, bytes, salt, spec.hashLength);
        return encodeHash({ params: spec.params, salt, hash });
      } finally {
        bytes.fill(0);
      }
    },
    async verify(hash, password) {
      const bytes = encodePassword(password, spec.maxPasswordLength);
      try {
        const stored = decode(hash);
        const derived = await derive(stored.params, bytes, stored.salt, stored.hash.length);
        return constantTimeEqual(derived, stored.hash);
      } finally {
        bytes.fill(0);
      }
    },
    dummyHash() {
      const salt = crypto.getRandomValues(new Uint8Array(spec.saltLength));
      const hash = crypto.getRandomValues(new Uint8Array(spec.hashLength));
      return encodeHash({ params: spec.params, salt, hash });
    },
    needsRehash(hash) {
      let stored: DecodedHash;
      try {
        stored = decode(hash);
      } catch {
        return true;
      }
      return (
        !sameParams(stored.params, spec.params) ||
        stored.salt.length !== spec.saltLength ||
        stored.hash.length !== spec.hashLength
      );
    },
  };
}
