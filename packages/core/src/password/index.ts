/**
 * The password module: Argon2id (default) and scrypt hashers writing PHC strings, their
 * composition, a dummy verify for unknown users, and the PHC format itself. Pure JS; the
 * Node worker pool lives in `./node` and is reached only through the `node` condition.
 */
export { ARGON2ID_DEFAULTS, type Argon2idOptions, argon2id } from './argon2id.js';
export { constantTimeEqual } from './constant-time.js';
export { createDummyVerify } from './dummy.js';
export { createHasher, type Hasher, type HasherOptions } from './hasher.js';
export { PBKDF2_MAX_ROUNDS, pbkdf2Verifier } from './legacy/pbkdf2.js';
export { withVerifiers } from './legacy/with-verifiers.js';
export { encodePassword, PASSWORD_MAX, PASSWORD_MIN } from './length.js';
export {
  type Argon2Algorithm,
  type Argon2Params,
  type DecodedHash,
  decodeHash,
  encodeHash,
  HASH_LIMITS,
  type KdfParams,
  type ScryptParams,
} from './params.js';
export { formatPhc, PHC_MAX_LENGTH, type PhcHash, parsePhc } from './phc.js';
export type { HashVerifier, SchemeHasher } from './scheme.js';
export { SCRYPT_DEFAULTS, type ScryptOptions, scrypt } from './scrypt.js';
export type { PasswordHasher } from './types.js';
