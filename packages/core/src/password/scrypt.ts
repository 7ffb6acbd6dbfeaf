import { AuthConfigError } from '../errors.js';
import { PASSWORD_MAX } from './length.js';
import { deriveKey } from './lib/derive.js';
import { createKdfHasher, type KdfSpec } from './lib/kdf-hasher.js';
import { integerOption, lengthOptions } from './lib/options.js';
import { HASH_LIMITS } from './params.js';
import type { SchemeHasher } from './scheme.js';

/**
 * Options of {@link scrypt}. Defaults are the OWASP Password Storage Cheat Sheet
 * recommendation (N = 2^17, r = 8, p = 1: 128 MiB). Lower costs are accepted, for tests only.
 */
export interface ScryptOptions {
  /** CPU/memory cost `N`, a power of two. Default `2 ** 17`. Range `2..2^20`. */
  cost?: number;
  /** Block size `r`. Default `8`. Range `1..32`. */
  blockSize?: number;
  /** Parallelism `p`. Default `1`. Range `1..16`, with `128·N·r·p ≤ 1 GiB`. */
  parallelism?: number;
  /** Salt length, in bytes. Default `16`. Range `16..64`. */
  saltLength?: number;
  /** Hash (derived key) length, in bytes. Default `32`. Range `16..64`. */
  hashLength?: number;
  /** Longest accepted password, in code points. Default {@link PASSWORD_MAX}. Range `1..4096`. */
  maxPasswordLength?: number;
}

/** The defaults of {@link scrypt}. */
export const SCRYPT_DEFAULTS = {
  cost: 2 ** 17,
  blockSize: 8,
  parallelism: 1,
  saltLength: 16,
  hashLength: 32,
  maxPasswordLength: PASSWORD_MAX,
} as const satisfies Required<ScryptOptions>;

/**
 * Validates {@link ScryptOptions} into the internal spec of a scrypt hasher.
 * @internal Used by the pure hasher and the Node worker pool.
 * @throws AuthConfigError naming the bad option, e.g. `password.cost`
 */
export function scryptSpec(opts: ScryptOptions = {}): KdfSpec {
  const d = SCRYPT_DEFAULTS;
  const limits = HASH_LIMITS.scrypt;
  const n = integerOption('cost', opts.cost, d.cost, 2, 2 ** limits.maxLn);
  if ((n & (n - 1)) !== 0) throw new AuthConfigError('password.cost', 'must be a power of two');
  const ln = Math.log2(n);
  const r = integerOption('blockSize', opts.blockSize, d.blockSize, 1, limits.maxBlockSize);
  const maxP = Math.min(limits.maxParallelism, Math.floor(limits.maxWork / (128 * n * r)));
  if (maxP < 1) throw new AuthConfigError('password.blockSize', 'makes 128·N·r exceed 1 GiB');
  const p = integerOption('parallelism', opts.parallelism, d.parallelism, 1, maxP);
  return {
    ids: ['scrypt'],
    params: { alg: 'scrypt', ln, r, p },
    ...lengthOptions(opts, d),
  };
}

/**
 * A scrypt {@link PasswordHasher} (RFC 7914) in pure JS, writing passlib's format:
 * `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`.
 *
 * `verify` reads the costs from the stored hash, compares in constant time, and refuses
 * hashes beyond {@link HASH_LIMITS}. `needsRehash` is true when `N`, `r`, `p`, salt length or
 * hash length differ from the current options, or the hash is not scrypt.
 *
 * @param opts - costs and lengths, see {@link ScryptOptions}
 * @returns a hasher for the `scrypt` PHC id
 * @throws AuthConfigError naming the bad option, e.g. `password.cost`
 * @example
 * ```ts
 * const hasher = scrypt({ cost: 2 ** 17 });
 * const hash = await hasher.hash('correct horse battery staple'); // '$scrypt$ln=17,r=8,p=1$…'
 * ```
 */
export function scrypt(opts: ScryptOptions = {}): SchemeHasher {
  return createKdfHasher(scryptSpec(opts), deriveKey);
}
