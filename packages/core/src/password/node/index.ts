/**
 * The Node-only part of the password module: a `worker_threads` pool and a hasher over it.
 * Reached only through the `node` export condition; the default entry imports no `node:`.
 */
export { type WorkerPoolHasher, type WorkerPoolHasherOptions, workerPoolHasher } from './pool.js';
export {
  createWorkerPool,
  defaultPoolSize,
  type WorkerPool,
  type WorkerPoolOptions,
} from './worker-pool.js';
