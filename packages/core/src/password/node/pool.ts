import { type Argon2idOptions, argon2idSpec } from '../argon2id.js';
import { createHasher, type Hasher } from '../hasher.js';
import { pbkdf2Verifier } from '../legacy/pbkdf2.js';
import { createKdfHasher } from '../lib/kdf-hasher.js';
import { type ScryptOptions, scryptSpec } from '../scrypt.js';
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './worker-pool.js';

/** Options of {@link workerPoolHasher}. */
export interface WorkerPoolHasherOptions extends WorkerPoolOptions {
  /** The scheme new hashes are written with. Default `'argon2id'`. */
  algorithm?: 'argon2id' | 'scrypt';
  /**
   * Argon2id costs of new hashes when `algorithm` is `'argon2id'`; its `maxPasswordLength`
   * also bounds the verification of Argon2 hashes. See {@link Argon2idOptions}.
   */
  argon2id?: Argon2idOptions;
  /**
   * Scrypt costs of new hashes when `algorithm` is `'scrypt'`; its `maxPasswordLength` also
   * bounds the verification of scrypt hashes. See {@link ScryptOptions}.
   */
  scrypt?: ScryptOptions;
}

/** A {@link Hasher} backed by a worker pool, which must be closed when no longer needed. */
export interface WorkerPoolHasher extends Hasher {
  /** The pool the hashes run in. */
  readonly pool: WorkerPool;
  /** Stops the workers; see {@link WorkerPool.close}. */
  close(): Promise<void>;
}

/**
 * The Node hasher: the same composition as `createHasher()` (writes Argon2id or scrypt,
 * verifies Argon2id, Argon2i, Argon2d and scrypt, dummy verify), with every derivation run
 * in a `worker_threads` pool. The PHC strings are byte-identical to the pure hashers' for
 * the same salt; salts are drawn on the main thread with `crypto.getRandomValues`, and stored
 * hashes are parsed and checked against the limits on the main thread before any job is sent.
 *
 * @param opts - scheme, costs and pool settings, see {@link WorkerPoolHasherOptions}
 * @throws AuthConfigError naming the bad option
 * @example
 * ```ts
 * import { workerPoolHasher } from '@auth/core'; // the `node` condition
 * const hasher = workerPoolHasher();               // argon2id, m=19456 t=2 p=1
 * const hash = await hasher.hash(password);
 * process.on('SIGTERM', () => hasher.close());
 * ```
 */
export function workerPoolHasher(opts: WorkerPoolHasherOptions = {}): WorkerPoolHasher {
  const argon2 = argon2idSpec(opts.argon2id);
  const scrypt = scryptSpec(opts.scrypt);
  const pool = createWorkerPool(opts);
  const argon2Hasher = createKdfHasher(argon2, pool.derive);
  const scryptHasher = createKdfHasher(scrypt, pool.derive);
  const current = opts.algorithm === 'scrypt' ? scryptHasher : argon2Hasher;
  const hasher = createHasher({
    current,
    verifiers: [argon2Hasher, scryptHasher, pbkdf2Verifier()],
  });
  return { ...hasher, pool, close: () => pool.close() };
}
