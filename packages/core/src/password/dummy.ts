import { encodeBase64 } from './phc.js';
import type { PasswordHasher } from './types.js';

/**
 * Builds a dummy verification for logins of unknown users, so they cost the same as a
 * wrong password for a real user and do not reveal which usernames exist.
 *
 * The dummy is `hasher.dummyHash()` when the hasher has it (no derivation); otherwise, on
 * first use, a hash of a random password with `hasher` (current costs), cached, so that
 * first call costs a hash plus a verify (a failed hash is not cached). Every call runs one
 * full `hasher.verify` against the dummy and resolves `false`.
 *
 * @param hasher - the hasher whose current costs the dummy must match
 * @returns a function that verifies `password` against the dummy hash and resolves `false`
 * @throws AuthError `invalid_request` (from the hasher) when `password` is too long
 * @example
 * ```ts
 * const dummyVerify = createDummyVerify(hasher);
 * const user = await users.find(username);
 * const ok = user ? await hasher.verify(user.passwordHash, password) : await dummyVerify(password);
 * ```
 */
export function createDummyVerify(hasher: PasswordHasher): (password: string) => Promise<false> {
  let dummy: Promise<string> | undefined;
  return async (password) => {
    if (!dummy && hasher.dummyHash) dummy = Promise.resolve(hasher.dummyHash());
    if (!dummy) {
      const random = encodeBase64(crypto.getRandomValues(new Uint8Array(24)));
      const pending = hasher.hash(random);
      dummy = pending;
      pending.catch(() => {
        if (dummy === pending) dummy = undefined;
      });
    }
    await hasher.verify(await dummy, password);
    return false;
  };
}
