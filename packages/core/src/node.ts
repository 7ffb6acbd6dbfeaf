/**
 * `@auth/core` under the `node` export condition: everything of the default entry, plus a
 * `worker_threads` hashing pool that `createAuth` uses by default, so password hashing never
 * stalls the event loop, and node:crypto signature checks, so every algorithm verifies in
 * the calling thread without a promise. PHC output and verification answers are identical
 * to the pure path's.
 * @packageDocumentation
 */
import { type Auth, buildAuth } from './auth.js';
import type { AuthOptions } from './config.js';
import { nodeSignatureChecks } from './node/signature-checks.js';
import { type WorkerPoolHasher, workerPoolHasher } from './password/node/index.js';

export * from './index.js';
export {
  createWorkerPool,
  defaultPoolSize,
  type WorkerPool,
  type WorkerPoolHasher,
  type WorkerPoolHasherOptions,
  type WorkerPoolOptions,
  workerPoolHasher,
} from './password/node/index.js';

let sharedHasher: WorkerPoolHasher | undefined;

/**
 * Creates an auth instance (see the default entry's `createAuth`). Without a `password.hasher`
 * option it hashes with argon2id (m=19456 KiB, t=2, p=1) in a worker pool shared by every
 * instance of the process; its workers never keep the process alive. Access tokens of every
 * algorithm are verified with node:crypto.
 * @throws AuthConfigError naming the first invalid option
 */
export function createAuth(options: AuthOptions): Auth {
  if (options?.password?.hasher) return buildAuth(options, nodeSignatureChecks);
  sharedHasher ??= workerPoolHasher();
  const password = { ...options?.password, hasher: sharedHasher };
  return buildAuth({ ...options, password }, nodeSignatureChecks);
}
