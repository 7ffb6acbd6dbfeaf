/** Internal: the memory budgets (`maxmem`) passed to every derivation, on any thread. */
import { isArgon2, type KdfParams } from '../params.js';

const MARGIN = 1024 * 1024;

/**
 * The memory budget, in bytes, of a derivation with `params`. Argon2: `m` KiB exactly.
 * Scrypt: `128·r·(N + p + 2)` plus 1 MiB, enough for noble (`128·r·(N + p + 1)`) and for
 * OpenSSL behind `node:crypto`. Both stay below 2^32 within the limits of `HASH_LIMITS`.
 * @param params - algorithm and costs
 */
export function maxmem(params: KdfParams): number {
  if (isArgon2(params)) return params.m * 1024;
  return 128 * params.r * (2 ** params.ln + params.p + 2) + MARGIN;
}
