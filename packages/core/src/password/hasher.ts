import { AuthError } from '../errors.js';
import { argon2id } from './argon2id.js';
import { createDummyVerify } from './dummy.js';
import { pbkdf2Verifier } from './legacy/pbkdf2.js';
import type { HashVerifier, SchemeHasher } from './scheme.js';
import { scrypt } from './scrypt.js';
import type { PasswordHasher } from './types.js';

/** Options of {@link createHasher}. */
export interface HasherOptions {
  /** The scheme new hashes are written with. Default `argon2id()` (OWASP minimum costs). */
  current?: SchemeHasher;
  /**
   * Schemes of stored hashes that are verified but not written, tried in order after
   * `current`. Default `[argon2id(), scrypt(), pbkdf2Verifier()]`: Argon2id, Argon2i, Argon2d,
   * scrypt and passlib's PBKDF2.
   */
  verifiers?: readonly HashVerifier[];
}

/** A {@link PasswordHasher} that writes one scheme and verifies several. */
export interface Hasher extends PasswordHasher {
  /** The scheme new hashes are written with. */
  readonly current: SchemeHasher;
  /**
   * One full verification at the current cost against a cached hash of a random password;
   * always resolves `false`. Use it when the user is unknown. See {@link createDummyVerify}.
   */
  dummyVerify(password: string): Promise<false>;
}

/**
 * Composes hashers: `hash` uses `current`; `verify` dispatches on the PHC id to the first of
 * `current, ...verifiers` that reads it; `needsRehash` is true for any hash `current` would
 * not write with its current costs, including hashes of other schemes.
 *
 * @param options - current scheme and legacy verifiers, see {@link HasherOptions}
 * @returns the composed hasher
 * @throws AuthError `unsupported_hash` (from `verify`) when no scheme reads the hash
 * @example
 * ```ts
 * const hasher = createHasher();                          // argon2id; also reads scrypt
 * if (await hasher.verify(stored, password) && hasher.needsRehash(stored)) {
 *   await users.update(id, { passwordHash: await hasher.hash(password) });
 * }
 * ```
 */
export function createHasher(options: HasherOptions = {}): Hasher {
  const current = options.current ?? argon2id();
  const chain: readonly HashVerifier[] = [
    current,
    ...(options.verifiers ?? [argon2id(), scrypt(), pbkdf2Verifier()]),
  ];
  return {
    current,
    hash: (password) => current.hash(password),
    async verify(hash, password) {
      const verifier = chain.find((v) => v.supports(hash));
      if (!verifier) throw new AuthError('unsupported_hash');
      return verifier.verify(hash, password);
    },
    needsRehash: (hash) => !current.supports(hash) || current.needsRehash(hash),
    ...(current.dummyHash ? { dummyHash: () => (current.dummyHash as () => string)() } : {}),
    dummyVerify: createDummyVerify(current),
  };
}
