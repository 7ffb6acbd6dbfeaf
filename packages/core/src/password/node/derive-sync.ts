/**
 * Internal: synchronous derivation inside a worker. Argon2 uses @noble/hashes (as the pure
 * path); scrypt uses OpenSSL through `node:crypto`, which yields the same bytes as noble
 * (RFC 7914), several times faster.
 */
import { scryptSync } from 'node:crypto';
import { argon2d, argon2i, argon2id } from '@noble/hashes/argon2.js';
import type { HashJob } from './protocol.js';

const ARGON2 = { argon2id, argon2i, argon2d };

/**
 * Derives the key of `job`, within the memory budget the main thread computed.
 * @param job - algorithm, costs, password, salt and length
 * @returns a fresh, transferable buffer of `job.dkLen` bytes
 */
export function deriveSync(job: HashJob): Uint8Array {
  const { params, password, salt, dkLen, maxmem } = job;
  if (params.alg === 'scrypt') {
    const { ln, r, p } = params;
    return new Uint8Array(scryptSync(password, salt, dkLen, { N: 2 ** ln, r, p, maxmem }));
  }
  const { m, t, p, version } = params;
  return ARGON2[params.alg](password, salt, { m, t, p, version, dkLen, maxmem });
}
