/**
 * Internal: key derivation on the calling thread with @noble/hashes, shared by the pure
 * hashers. The worker pool derives the same bytes off the main thread.
 */
import { argon2dAsync, argon2iAsync, argon2idAsync } from '@noble/hashes/argon2.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { isArgon2, type KdfParams } from '../params.js';
import { maxmem } from './memory.js';

/**
 * Derives `dkLen` bytes from `password` and `salt` with the algorithm and costs of `params`.
 * Implementations must return identical bytes for identical inputs.
 */
export type Derive = (
  params: KdfParams,
  password: Uint8Array,
  salt: Uint8Array,
  dkLen: number,
) => Promise<Uint8Array>;

/** Longest stretch, in ms, that the pure derivation runs before yielding to the event loop. */
export const ASYNC_TICK_MS = 10;

const ARGON2 = { argon2id: argon2idAsync, argon2i: argon2iAsync, argon2d: argon2dAsync };

/** {@link Derive} with @noble/hashes, yielding every {@link ASYNC_TICK_MS} ms. */
export const deriveKey: Derive = (params, password, salt, dkLen) => {
  if (isArgon2(params)) {
    const { m, t, p, version } = params;
    return ARGON2[params.alg](password, salt, {
      m,
      t,
      p,
      version,
      dkLen,
      maxmem: maxmem(params),
      asyncTick: ASYNC_TICK_MS,
    });
  }
  const { ln, r, p } = params;
  return scryptAsync(password, salt, {
    N: 2 ** ln,
    r,
    p,
    dkLen,
    maxmem: maxmem(params),
    asyncTick: ASYNC_TICK_MS,
  });
};
