/** Hashes and verifies passwords, in PHC string format. */
export interface PasswordHasher {
  /** Hashes `password` with a fresh random salt; resolves to a PHC string. */
  hash(password: string): Promise<string>;
  /**
   * Verifies `password` against a PHC string in constant time.
   * Resolves `false` for a wrong password.
   * @throws AuthError `unsupported_hash` when the hash format is unknown or malformed.
   */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other algorithm or parameters than the current ones. */
  needsRehash(hash: string): boolean;
  /**
   * Optional: a hash in the current scheme, costs and lengths, with a random salt and a
   * random key, made without deriving anything. Logins of unknown users are verified against
   * it: that costs exactly a real verification and never succeeds. A hasher without it gets
   * a dummy made by {@link PasswordHasher.hash} of a random password (a full hash, once).
   */
  dummyHash?(): string;
}
