/** Adds verifiers of imported hash formats to any hasher. */
import type { HashVerifier } from '../scheme.js';
import type { PasswordHasher } from '../types.js';

/**
 * A hasher that verifies hashes `extra` reads with them and everything else with `hasher`.
 * `needsRehash` stays `hasher`'s, so an imported hash is replaced at the first login.
 * @param hasher - the hasher new hashes are written with
 * @param extra - verifiers of imported formats (e.g. `bcryptVerifier()` from `@auth/core/bcrypt`)
 */
export function withVerifiers(
  hasher: PasswordHasher,
  extra: readonly HashVerifier[],
): PasswordHasher {
  if (extra.length === 0) return hasher;
  return {
    hash: (password) => hasher.hash(password),
    verify(hash, password) {
      const verifier = extra.find((v) => v.supports(hash));
      return verifier ? verifier.verify(hash, password) : hasher.verify(hash, password);
    },
    needsRehash: (hash) => hasher.needsRehash(hash),
    ...(hasher.dummyHash ? { dummyHash: () => (hasher.dummyHash as () => string)() } : {}),
  };
}
