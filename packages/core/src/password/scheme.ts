import type { PasswordHasher } from './types.js';

/** Verifies the hashes of one scheme; the unit {@link createHasher} dispatches to. */
export interface HashVerifier {
  /** PHC ids this verifier reads, e.g. `['argon2id', 'argon2i', 'argon2d']`. */
  readonly ids: readonly string[];
  /** True when `hash` is a PHC string with one of {@link HashVerifier.ids}; reads only the id. */
  supports(hash: string): boolean;
  /** See {@link PasswordHasher.verify}. */
  verify(hash: string, password: string): Promise<boolean>;
}

/** A {@link PasswordHasher} for one scheme, which also says which hashes it reads. */
export interface SchemeHasher extends PasswordHasher, HashVerifier {}
